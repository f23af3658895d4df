/// A compiled time zone file of the system's database (`/usr/share/zoneinfo/NAME`,
/// RFC 8536 "TZif"): the zone's UTC offset at any instant, from its transitions
/// and, after the last of them, from the POSIX rule in its footer.
///
/// Read here rather than through Foundation's `TimeZone`, whose named zones on
/// Linux need ICU (FoundationInternationalization): about 5 MiB more memory at
/// start for what is a table lookup. Only the 64-bit data (version 2 and later)
/// is read; a version 1 file, which every tzdata since 2005 goes beyond, is refused.
package struct ZoneFile: Sendable, Equatable {
    /// Transition instants, UTC seconds, ascending; `offsets[i]` is in force from `times[i]`.
    var times: [Int64]
    var offsets: [Int32]
    /// In force before the first transition (the file's first local time type).
    var initialOffset: Int32
    /// In force after the last transition, when the file has a footer.
    var rule: PosixZoneRule?

    /// Parses a TZif file; nil when the bytes are not one.
    package init?(_ bytes: [UInt8]) {
        var reader = ZoneFileReader(bytes)
        guard let first = reader.header(), first.version >= 2 else { return nil }
        // Skip the version 1 block: its counts are in the first header.
        guard reader.skip(first.dataLength(timeSize: 4)), let header = reader.header() else { return nil }
        guard let times = reader.integers(count: header.timeCount, size: 8),
              let indices = reader.bytes(count: header.timeCount),
              let types = reader.localTimeTypes(count: header.typeCount),
              !types.isEmpty,
              reader.skip(header.characterCount + header.leapCount * 12 + header.standardCount + header.utcCount)
        else { return nil }
        var offsets: [Int32] = []
        offsets.reserveCapacity(indices.count)
        for index in indices {
            guard Int(index) < types.count else { return nil }
            offsets.append(types[Int(index)])
        }
        self.times = times
        self.offsets = offsets
        initialOffset = types[0]
        rule = reader.footer().flatMap(PosixZoneRule.init)
    }

    /// The UTC offset (seconds, east positive) in force at `seconds` since 1970 UTC.
    package func offsetSeconds(atUnixSeconds seconds: Int64) -> Int {
        guard let last = times.last else { return rule?.offsetSeconds(atUnixSeconds: seconds) ?? Int(initialOffset) }
        if seconds >= last, let rule { return rule.offsetSeconds(atUnixSeconds: seconds) }
        guard seconds >= times[0] else { return Int(initialOffset) }
        // The last transition at or before `seconds`.
        var low = 0, high = times.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if times[middle] <= seconds { low = middle } else { high = middle - 1 }
        }
        return Int(offsets[low])
    }
}

/// Reads the parts of a TZif file in order; every read checks the bounds.
private struct ZoneFileReader {
    struct Header {
        var version: Int
        var utcCount, standardCount, leapCount, timeCount, typeCount, characterCount: Int

        func dataLength(timeSize: Int) -> Int {
            timeCount * (timeSize + 1) + typeCount * 6 + characterCount + leapCount * (timeSize + 4) + standardCount + utcCount
        }
    }

    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func header() -> Header? {
        guard position + 44 <= bytes.count,
              bytes[position] == 0x54, bytes[position + 1] == 0x5A, bytes[position + 2] == 0x69, bytes[position + 3] == 0x66  // "TZif"
        else { return nil }
        let versionByte = bytes[position + 4]
        let version = versionByte == 0 ? 1 : Int(versionByte) - 0x30
        position += 20
        var counts: [Int] = []
        for _ in 0..<6 {
            guard let count = integer(size: 4), count >= 0, count < 1 << 20 else { return nil }
            counts.append(Int(count))
        }
        return Header(version: version, utcCount: counts[0], standardCount: counts[1], leapCount: counts[2],
                      timeCount: counts[3], typeCount: counts[4], characterCount: counts[5])
    }

    mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, position + count <= bytes.count else { return false }
        position += count
        return true
    }

    /// A big-endian signed integer of 4 or 8 bytes.
    mutating func integer(size: Int) -> Int64? {
        guard position + size <= bytes.count else { return nil }
        var value: UInt64 = 0
        for offset in 0..<size { value = value << 8 | UInt64(bytes[position + offset]) }
        position += size
        if size == 4 { return Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: value))) }
        return Int64(bitPattern: value)
    }

    mutating func integers(count: Int, size: Int) -> [Int64]? {
        var values: [Int64] = []
        values.reserveCapacity(count)
        for _ in 0..<count {
            guard let value = integer(size: size) else { return nil }
            values.append(value)
        }
        return values
    }

    mutating func bytes(count: Int) -> [UInt8]? {
        guard position + count <= bytes.count else { return nil }
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    /// Each type's UTC offset; its DST flag and abbreviation are not needed.
    mutating func localTimeTypes(count: Int) -> [Int32]? {
        var offsets: [Int32] = []
        for _ in 0..<count {
            guard let offset = integer(size: 4), skip(2) else { return nil }
            offsets.append(Int32(truncatingIfNeeded: offset))
        }
        return offsets
    }

    /// The footer's POSIX TZ string, between two newlines.
    mutating func footer() -> String? {
        guard position < bytes.count, bytes[position] == 0x0A,
              let end = bytes[(position + 1)...].firstIndex(of: 0x0A), end > position + 1 else { return nil }
        return String(decoding: bytes[(position + 1)..<end], as: UTF8.self)
    }
}
