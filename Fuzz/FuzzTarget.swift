// A libFuzzer target over the reader, the framer, the classifier and the CSV reader.
// Built only by scripts/fuzz.sh, with swiftc and `-sanitize=fuzzer,address`, against the
// stages SwiftPM built instrumented in .build-fuzz: libFuzzer's own main drives
// LLVMFuzzerTestOneInput. No part of the package's products or tests.
import LogMatching
import LogInput
import LogRules

/// Compiled once: the catalog is shared read-only, as in a run.
let compiled: CompiledCatalog = {
    do { return try CompiledCatalog.bundled() } catch { fatalError("the bundled catalog: \(error)") }
}()

/// One input: read as a log (its first byte picks the log kind, so every plan is
/// reached), each record classified, then read as a CSV table. The checks are the
/// framer's promises that the rest of the tool relies on.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let kinds = LogKind.allCases
    let kind = bytes.first.map { kinds[Int($0) % kinds.count] } ?? .unknown
    let stream = RecordStream(inputs: [InputSource(location: .standardInput, name: "fuzz.log", kind: kind)])
    stream.standardInput = { MemorySource(bytes) }
    let classifier = compiled.classifier()
    var lastLine = 0
    var events = 0
    do {
        try stream.run { record in
            precondition(record.line >= lastLine, "records out of order: line \(record.line) after \(lastLine)")
            precondition(record.endLine >= record.line, "a record ending before it starts")
            lastLine = record.line
            classifier.classify(record, kind: kind, inputName: "fuzz") { event in
                precondition(event.text.utf8.count <= Classifier.maxTextBytes + 1 + Classifier.maxTextBytes)
                events += 1
            }
        }
    } catch {
        // A memory source does not fail; an error here is the reader's own, a bug.
        fatalError("reading failed: \(error)")
    }
    classifier.finish { _ in events += 1 }
    if let table = CSVTable.read(bytes) {
        for row in table.rows { precondition(row.line >= 1) }
    }
    return 0
}

/// Compiles the catalog before the first input, outside libFuzzer's per-input timeout
/// (instrumented, compiling every pattern takes seconds).
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<Int32>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    _ = compiled.classifier()
    return 0
}
