/// The named values an event carries: its rule's attributes, then what the
/// pattern's named groups captured. A handful per event, looked up by short
/// names, so a list searched from the end beats a dictionary: no hashing, and
/// one allocation per event (the attributes are shared until a capture is added).
/// A name given twice holds its last value, as in a dictionary.
package struct EventFields: Sendable, Equatable, ExpressibleByDictionaryLiteral, Sequence {
    private var pairs: [(key: String, value: String)]

    package init() { pairs = [] }

    package init(dictionaryLiteral elements: (String, String)...) {
        pairs = []
        for (key, value) in elements { self[key] = value }
    }

    package init(_ dictionary: [String: String]) {
        pairs = dictionary.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }

    /// Room for `extra` more values without growing again.
    package mutating func reserve(_ extra: Int) { pairs.reserveCapacity(pairs.count + extra) }

    package subscript(key: String) -> String? {
        get {
            var index = pairs.count
            while index > 0 {
                index -= 1
                if pairs[index].key == key { return pairs[index].value }
            }
            return nil
        }
        set {
            if let at = pairs.lastIndex(where: { $0.key == key }) {
                if let newValue { pairs[at].value = newValue } else { pairs.remove(at: at) }
            } else if let newValue {
                pairs.append((key, newValue))
            }
        }
    }

    package var isEmpty: Bool { pairs.isEmpty }
    package var count: Int { pairs.count }

    package func makeIterator() -> some IteratorProtocol<(key: String, value: String)> { pairs.makeIterator() }

    package static func == (a: EventFields, b: EventFields) -> Bool {
        a.count == b.count && a.allSatisfy { b[$0.key] == $0.value }
    }
}
