import Testing
@testable import LogAnalysis

@Suite struct NameHashesTests {
    @Test("a set of name hashes finds what went in, once each, by full name or first label")
    func membership() {
        var hashes = NameHashes()
        hashes.reserve(8)
        for name in ["PC-2", "PC-1", "PC-2", "dp-1.contoso.com", "PC-1"] { hashes.insert(device: name) }
        hashes.seal()
        // PC-1 and PC-2 once each; dp-1.contoso.com as itself and as DP-1.
        #expect(hashes.count == 4)
        for key in ["PC-1", "PC-2", "DP-1", "DP-1.CONTOSO.COM"] { #expect(hashes.contains(key)) }
        #expect(!hashes.contains("PC-3") && !hashes.contains("pc-1"))   // keys are the upper-cased names
        #expect(NameHashes.slots(forDevice: "PC-1") == 1 && NameHashes.slots(forDevice: "pc-1.contoso.com") == 2)
    }

    @Test("sealing many names keeps each once and gives back the room it no longer needs")
    func sealing() {
        var hashes = NameHashes()
        for index in 0..<10_000 { hashes.insert("D\(index % 2_500)") }
        hashes.seal()
        #expect(hashes.count == 2_500)
        #expect((0..<2_500).allSatisfy { hashes.contains("D\($0)") })
        #expect(!hashes.contains("D2500"))
    }
}
