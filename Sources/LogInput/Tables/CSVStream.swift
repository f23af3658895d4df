extension CSVTable {
    /// Reads a table from the bytes `open` gives, streaming: `header` once (a table with no
    /// rows), then `row` for each row that is not blank, in order. The file is read twice,
    /// each time through a 64 KiB buffer: once to learn whether it is UTF-8 (else it is
    /// Windows-1252 as a whole, as `decode` says), once to parse it. False when there is
    /// no header line at all (an empty file); a read error is thrown.
    /// The source is taken as `any ByteSource` so that the per-scalar loop is specialized here,
    /// once, on `OpenedSource`: generic across modules, it looked its types' metadata up for
    /// every byte (three quarters of the time of a million-row inventory).
    package static func stream(_ open: () throws(InputError) -> any ByteSource, header: (CSVTable) -> Void,
                               row: (Row) -> Void) throws(InputError) -> Bool {
        var check = CSVScalars(OpenedSource(try open()), windows1252: false)
        var lineFeeds = 0
        while let scalar = check.next(), !check.invalid {
            if scalar == "\n" { lineFeeds += 1 }
        }
        check.close()
        if let error = check.error { throw error }
        let sniffed = check.encoding
        let name = (sniffed ?? .utf8).rawValue
        let encoding = !check.invalid || sniffed == .utf8BOM ? name : "windows-1252"

        var scalars = CSVScalars(OpenedSource(try open()), windows1252: check.invalid)
        defer { scalars.close() }
        // The first line or two, held until the delimiter can be told (Excel's `sep=` line, or the header).
        var preamble: [Unicode.Scalar] = []
        var layout: (delimiter: Unicode.Scalar, start: Int, firstLine: Int)?
        while layout == nil {
            let scalar = scalars.next()
            if let scalar { preamble.append(scalar) }
            guard scalar == nil || scalar == "\r" || scalar == "\n" || preamble.count == 5 else { continue }
            layout = Self.layout(of: preamble, complete: scalar == nil)
        }
        guard let layout else { return false }
        var parser = CSVParser(delimiter: layout.delimiter, firstLine: layout.firstLine)
        var headerSeen = false
        func emit(_ record: Row) {
            if record.problem == nil && record.fields.allSatisfy({ $0.trimmingSpaces.isEmpty }) { return }
            if headerSeen { return row(record) }
            headerSeen = true
            header(CSVTable(header: record.fields.map(\.trimmingSpaces), headerLine: record.line, rows: [],
                            delimiter: layout.delimiter, encoding: encoding, lineFeeds: check.invalid ? nil : lineFeeds))
        }
        for scalar in preamble[layout.start...] { parser.feed(scalar, emit) }
        preamble = []
        while let scalar = scalars.next() { parser.feed(scalar, emit) }
        if let error = scalars.error { throw error }
        parser.finish(emit)
        return headerSeen
    }

    /// The delimiter, where the table starts and on which line, from its first scalars;
    /// nil while they do not tell yet (`complete`: there are no more).
    static func layout(of scalars: [Unicode.Scalar], complete: Bool) -> (delimiter: Unicode.Scalar, start: Int, firstLine: Int)? {
        var start = 0
        var forced: Unicode.Scalar?
        if scalars.count < 5 && !complete { return nil }
        // Excel's hint line: `sep=;`
        if scalars.count >= 5, String(String.UnicodeScalarView(scalars[0..<4])).lowercased() == "sep=" {
            let candidate = scalars[4]
            if candidate != "\r" && candidate != "\n" { forced = candidate }
            var index = 4
            while index < scalars.count && scalars[index] != "\n" && scalars[index] != "\r" { index += 1 }
            if index == scalars.count && !complete { return nil }
            if index < scalars.count && scalars[index] == "\r" { index += 1 }
            if index == scalars.count && !complete { return nil }   // an LF may follow the CR
            if index < scalars.count && scalars[index] == "\n" { index += 1 }
            start = index
        }
        let firstLine = start > 0 ? 2 : 1
        if let forced { return (forced, start, firstLine) }
        guard let delimiter = detectDelimiter(scalars[start...], complete: complete) else { return nil }
        return (delimiter, start, firstLine)
    }

    /// The delimiter that occurs most often outside quotes on the first line; a comma when
    /// none does; nil when the line has not ended yet and more may come.
    static func detectDelimiter(_ scalars: ArraySlice<Unicode.Scalar>, complete: Bool) -> Unicode.Scalar? {
        var counts: [Unicode.Scalar: Int] = [",": 0, ";": 0, "\t": 0]
        var quoted = false
        var ended = complete
        for scalar in scalars {
            if scalar == "\"" { quoted.toggle(); continue }
            if !quoted && (scalar == "\n" || scalar == "\r") { ended = true; break }
            if !quoted, counts[scalar] != nil { counts[scalar]! += 1 }
        }
        guard ended else { return nil }
        let best = counts.max { $0.value < $1.value || ($0.value == $1.value && rank($0.key) > rank($1.key)) }!
        return best.value > 0 ? best.key : ","
    }

    private static func rank(_ scalar: Unicode.Scalar) -> Int { scalar == "," ? 0 : scalar == ";" ? 1 : 2 }
}

/// A source of any type behind one concrete one, read a chunk at a time.
struct OpenedSource: ByteSource {
    var base: any ByteSource

    init(_ base: any ByteSource) { self.base = base }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        try base.read(into: buffer)
    }
}
