/// A set of names held as sorted 64-bit hashes: 8 bytes a name, however long, so a
/// million-row export can be checked against without keeping its text (issue 14, item 7).
/// Hashes are Swift's own (seeded per run, never stored); two names share one with a
/// chance of about 1 in 10^13 for a million names, and then count as one.
package struct NameHashes: Sendable {
    private var hashes: [UInt64] = []
    private var sorted = true

    package init() {}

    package static func hash(_ key: String) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(key)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    package mutating func insert(_ key: String) {
        hashes.append(Self.hash(key))
        sorted = false
    }

    /// A device's name and, when it differs, its first label (`DeviceName.key`, `shortKey`).
    package mutating func insert(device name: String) {
        let key = DeviceName.key(name), short = DeviceName.shortKey(name)
        insert(key)
        if short != key { insert(short) }
    }

    /// How many hashes `insert(device:)` adds for a name.
    package static func slots(forDevice name: String) -> Int {
        DeviceName.key(name) == DeviceName.shortKey(name) ? 1 : 2
    }

    /// Room for `count` hashes in all, so that a known number costs one allocation, not
    /// twice that while the array doubles.
    package mutating func reserve(_ count: Int) { hashes.reserveCapacity(count) }

    /// Sorts and drops repeats; call once every name is in, before `contains`.
    package mutating func seal() {
        guard !sorted else { return }
        hashes.sort()
        // By index: iterating the array while writing it would copy it whole.
        var kept = 0
        for index in hashes.indices where kept == 0 || hashes[kept - 1] != hashes[index] {
            hashes[kept] = hashes[index]
            kept += 1
        }
        hashes.removeLast(hashes.count - kept)
        hashes.shrinkToFit()
        sorted = true
    }

    package var count: Int { hashes.count }

    package func contains(_ key: String) -> Bool {
        precondition(sorted, "NameHashes.seal() before contains")
        let hash = Self.hash(key)
        var low = 0, high = hashes.count
        while low < high {
            let middle = (low + high) / 2
            if hashes[middle] < hash { low = middle + 1 } else { high = middle }
        }
        return low < hashes.count && hashes[low] == hash
    }
}

extension Array where Element == UInt64 {
    /// Gives back the capacity beyond the count (appends double it).
    mutating func shrinkToFit() {
        guard capacity > count + count / 16 else { return }
        let old = self
        self = [UInt64](unsafeUninitializedCapacity: old.count) { buffer, initialized in
            for (index, value) in old.enumerated() { buffer[index] = value }
            initialized = old.count
        }
    }
}
