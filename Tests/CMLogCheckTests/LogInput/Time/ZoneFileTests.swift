import Foundation
import Testing
@testable import LogInput

/// The zone file reader agrees with Foundation's TimeZone (ICU) on every instant tried,
/// across the transitions and past the files' last transition (their POSIX footer).
@Suite struct ZoneFileTests {
    static let zones = ["Europe/Amsterdam", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Asia/Tehran",
                        "America/Sao_Paulo", "Pacific/Chatham", "Europe/London", "America/St_Johns", "Africa/Casablanca",
                        "Pacific/Auckland", "Asia/Tokyo", "America/Los_Angeles", "Europe/Dublin", "America/Santiago"]

    @Test("offsets agree with Foundation's TimeZone from 1970 to 2060, every 5 hours 7 minutes", arguments: zones)
    func agreesWithFoundation(name: String) throws {
        let rule = try #require(ZoneRule(name))
        let reference = try #require(TimeZone(identifier: name))
        var seconds: Int64 = 0
        var disagreements: [String] = []
        while seconds < 2_840_140_800 {  // 2060
            let ours = rule.offsetSeconds(at: Instant(seconds: seconds))
            let theirs = reference.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
            if ours != theirs && disagreements.count < 5 { disagreements.append("\(seconds): \(ours) vs \(theirs)") }
            seconds += 5 * 3600 + 7 * 60
        }
        #expect(disagreements.isEmpty, "\(name): \(disagreements)")
    }

    @Test("a name is matched without regard to case, a path or an unknown name is refused, UTC needs no file")
    func names() {
        #expect(ZoneRule("europe/amsterdam")?.identifier == "Europe/Amsterdam")
        #expect(ZoneRule("Mars/Olympus_Mons") == nil)
        #expect(ZoneRule("../../etc/passwd") == nil)
        #expect(ZoneRule("/etc/localtime") == nil)
        #expect(ZoneRule("UTC")?.offsetSeconds(at: Instant(seconds: 1_600_000_000)) == 0)
    }

    @Test("POSIX rules: northern and southern daylight time, Julian days, times past midnight")
    func posixRules() throws {
        let europe = try #require(PosixZoneRule("CET-1CEST,M3.5.0,M10.5.0/3"))
        // 2030-03-31 is the last Sunday of March: CEST from 01:00 UTC.
        #expect(europe.offsetSeconds(atUnixSeconds: 1_901_149_199) == 3600)
        #expect(europe.offsetSeconds(atUnixSeconds: 1_901_149_200) == 7200)
        let sydney = try #require(PosixZoneRule("AEST-10AEDT,M10.1.0,M4.1.0/3"))
        #expect(sydney.offsetSeconds(atUnixSeconds: 1_893_456_000) == 39_600)  // 2030-01-01: summer
        #expect(sydney.offsetSeconds(atUnixSeconds: 1_909_000_000) == 36_000)  // 2030-06-29: winter
        let fixed = try #require(PosixZoneRule("<+0530>-5:30"))
        #expect(fixed.offsetSeconds(atUnixSeconds: 0) == 19_800)
        let julian = try #require(PosixZoneRule("XST5XDT,J60/2,J300/2"))
        #expect(julian.offsetSeconds(atUnixSeconds: 1_893_456_000) == -18_000)
        #expect(PosixZoneRule("") == nil)
        #expect(PosixZoneRule("CET-1CEST,M13.5.0,M10.5.0") == nil)
    }

    @Test("bytes that are not a zone file are refused, never a crash")
    func garbage() throws {
        #expect(ZoneFile([]) == nil)
        #expect(ZoneFile(Array("TZif2".utf8) + [UInt8](repeating: 0xFF, count: 60)) == nil)
        let real = try #require(ZoneDatabase.readAll("/usr/share/zoneinfo/Europe/Amsterdam"))
        for cut in stride(from: 0, to: real.count, by: 37) { _ = ZoneFile(Array(real[0..<cut])) }
        var flipped = real
        for index in stride(from: 20, to: flipped.count, by: 11) { flipped[index] ^= 0xA5; _ = ZoneFile(flipped) }
    }
}
