import Foundation
import Testing
@testable import LogMatching
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings
@testable import LogReport
@testable import LogFollow

@Suite("Framing: CMTrace")
struct CMTraceFramingTests {
    @Test("A single-line record: every field")
    func singleLine() throws {
        let text = cmtrace("Batching 27 records", time: "16:20:31.497+480", date: "02-28-2020", type: "1", thread: "6344") + "\n"
        let framed = try frame(text)
        #expect(framed.summary.format == .cmtrace)
        let record = try #require(framed.records.first)
        #expect(framed.records.count == 1)
        #expect(record.format == .cmtrace)
        #expect(record.message == "Batching 27 records")
        #expect(record.component == "SMS_SERVICE_CONNECTOR")
        #expect(record.thread == 6344)
        #expect(record.severity == .info)
        #expect(record.dateText == "02-28-2020")
        #expect(record.timeText == "16:20:31.497+480")
        #expect(record.bias == 480)
        #expect(record.utcText == "2020-02-29T00:20:31.497Z")
        #expect(record.line == 1 && record.endLine == 1)
        #expect(record.isComplete)
        #expect(record.skippedBytes == 0)
        #expect(framed.summary.first == utc("2020-02-29T00:20:31.497Z"))
        #expect(framed.summary.records == 1 && framed.summary.lines == 1)
    }

    @Test("type gives the severity: 0 and 1 info, 2 warning, 3 error; otherwise the text decides")
    func severities() throws {
        let text = [
            cmtrace("fine", type: "0"), cmtrace("error in text but type 1", type: "1"),
            cmtrace("careful", type: "2"), cmtrace("broken", type: "3"),
            cmtrace("Failed to upload", type: ""), cmtrace("WARNING: slow", type: "9"), cmtrace("plain", type: "x"),
        ].joined(separator: "\n")
        let framed = try frame(text)
        #expect(framed.records.map(\.severity) == [.info, .info, .warning, .error, .error, .warning, .info])
    }

    @Test("The message may hold ], <, quotes and even ]LOG]!> without the time attribute")
    func awkwardMessage() throws {
        let message = #"a ] b < c "quoted" <x attr="1"> ]LOG]!> [x]"#
        let framed = try frame(cmtrace(message))
        #expect(framed.messages == [message])
        #expect(try framed.records.at(0).component == "SMS_SERVICE_CONNECTOR")
    }

    @Test("A multi-line record: line and endLine, lines joined with \\n")
    func multiLine() throws {
        let text = cmtrace("first") + "\n" +
            "<![LOG[Exception details:\r\n[Critical][GenericUploadWorker][0][System.Net.WebException][0x80131509]\r\n\r\nThe remote server returned an error: (400) Bad Request.]LOG]!><time=\"08:06:34.590-060\" date=\"09-23-2026\" component=\"SMS_SERVICE_CONNECTOR\" context=\"\" type=\"3\" thread=\"12\" file=\"\">\r\n" +
            cmtrace("last") + "\n"
        let framed = try frame(text)
        #expect(framed.records.count == 3)
        let record = try framed.records.at(1)
        #expect(record.message == "Exception details:\n[Critical][GenericUploadWorker][0][System.Net.WebException][0x80131509]\n\nThe remote server returned an error: (400) Bad Request.")
        #expect(record.line == 2 && record.endLine == 5)
        #expect(record.severity == .error)
        #expect(record.thread == 12)
        #expect(record.utcText == "2026-09-23T07:06:34.590Z")
        #expect(record.isComplete)
        #expect(try framed.records.at(2).line == 6)
    }

    @Test("A record cut off at the end of input is kept, marked incomplete")
    func cutAtEnd() throws {
        let text = cmtrace("whole") + "\n<![LOG[Exception details:\nThe remote server returned an error: (40"
        let framed = try frame(text)
        #expect(framed.records.count == 2)
        let cut = try framed.records.at(1)
        #expect(cut.message == "Exception details:\nThe remote server returned an error: (40")
        #expect(!cut.isComplete)
        #expect(cut.format == .cmtrace)
        #expect(cut.line == 2 && cut.endLine == 3)
        #expect(cut.utc == nil && cut.thread == nil && cut.component.isEmpty)
        #expect(cut.severity == .error, "severity from the text: 'error'")
        #expect(framed.summary.incompleteRecords == 1)
        // Cut inside the trailer: still incomplete, the partial trailer is part of the text.
        let inTrailer = try frame(cmtrace("whole") + "\n<![LOG[Batching 3 records]LOG]!><time=\"16:20")
        #expect(inTrailer.records.map(\.isComplete) == [true, false])
        #expect(inTrailer.messages == ["whole", "Batching 3 records"])
        #expect(inTrailer.summary.incompleteRecords == 1)
    }

    @Test("A new <![LOG[ while one is open ends the open one, incomplete")
    func newRecordWhileOpen() throws {
        let text = "<![LOG[started\nsecond line\n" + cmtrace("next") + "\n"
        let framed = try frame(text)
        #expect(framed.messages == ["started\nsecond line", "next"])
        #expect(framed.records.map(\.isComplete) == [false, true])
        #expect(framed.records.map(\.line) == [1, 3])
        #expect(framed.records.map(\.endLine) == [2, 3])
        #expect(framed.summary.incompleteRecords == 1)
    }

    @Test("Lines before the first record (and stray lines between records) are unrecognized, with their numbers")
    func unrecognized() throws {
        let text = "junk one\n\njunk three\n" + cmtrace("a") + "\nstray\n" + cmtrace("b") + "\n"
        let framed = try frame(text)
        #expect(framed.summary.format == .cmtrace)
        #expect(framed.messages == ["a", "b"])
        #expect(framed.records.map(\.line) == [4, 6])
        #expect(framed.summary.unrecognizedLines == 3)
        #expect(framed.summary.unrecognizedSamples == [1, 3, 5])
    }

    @Test("Only the first ten unrecognized line numbers are kept; all are counted")
    func unrecognizedSamplesBounded() throws {
        let junk = (1...25).map { "junk \($0)" }.joined(separator: "\n")
        let framed = try frame(cmtrace("a") + "\n" + junk + "\n")
        #expect(framed.summary.unrecognizedLines == 25)
        #expect(framed.summary.unrecognizedSamples == Array(2...11))
    }

    @Test("A trailer that is not CMTrace's still ends the record; no timestamp")
    func malformedTrailer() throws {
        let framed = try frame("<![LOG[failed thing]LOG]!><time=\"garbage\">\n")
        let record = try #require(framed.records.first)
        #expect(record.message == "failed thing")
        #expect(record.utc == nil)
        #expect(record.severity == .error)
        #expect(record.isComplete)
    }
}

@Suite("Framing: simple")
struct SimpleFramingTests {
    @Test("A single line: every field; severity from the text")
    func singleLine() throws {
        let text = [
            simple("Batching 27 records", thread: 6344),
            simple("Failed to upload data", thread: 1),
            simple("Warning: slow response", thread: 2),
            simple("ERROR while reading", thread: 3),
        ].joined(separator: "\n")
        let framed = try frame(text)
        #expect(framed.summary.format == .simple)
        let record = try framed.records.at(0)
        #expect(record.format == .simple)
        #expect(record.message == "Batching 27 records")
        #expect(record.component == "SMS_SERVICE_CONNECTOR")
        #expect(record.thread == 6344)
        #expect(record.dateText == "02-28-2020")
        #expect(record.timeText == "16:20:31.497+480")
        #expect(record.utcText == "2020-02-29T00:20:31.497Z")
        #expect(framed.records.map(\.severity) == [.info, .error, .warning, .error])
        #expect(framed.records.map(\.thread) == [6344, 1, 2, 3])
    }

    @Test("Lines without a trailer belong to the next line that has one")
    func continuation() throws {
        let text = simple("alone") + "\n" +
            "Exception details:\n" +
            "[Warning][GenericUploadWorker][0][System.Net.WebException][0x80131509]\n" +
            "\n" +
            simple("The remote server returned an error: (401) Unauthorized.", time: "08:06:34.590-060") + "\n" +
            simple("after") + "\n"
        let framed = try frame(text)
        #expect(framed.messages == [
            "alone",
            "Exception details:\n[Warning][GenericUploadWorker][0][System.Net.WebException][0x80131509]\n\nThe remote server returned an error: (401) Unauthorized.",
            "after",
        ])
        #expect(framed.records.map(\.line) == [1, 2, 6])
        #expect(framed.records.map(\.endLine) == [1, 5, 6])
        #expect(try framed.records.at(1).utcText == "2020-02-28T07:06:34.590Z")
        #expect(try framed.records.at(1).severity == .error)
        #expect(framed.records.allSatisfy { $0.isComplete })
        #expect(framed.summary.unrecognizedLines == 0)
    }

    @Test("Blank lines outside a record are skipped; continuation lines left at the end are an incomplete record")
    func blankAndTrailing() throws {
        let text = "\n\n" + simple("one") + "\n\nleft over\nmore\n"
        let framed = try frame(text)
        #expect(framed.messages == ["one", "left over\nmore"])
        #expect(framed.records.map(\.line) == [3, 5])
        #expect(framed.records.map(\.isComplete) == [true, false])
        #expect(try framed.records.at(1).format == .simple)
        #expect(framed.summary.incompleteRecords == 1)
    }

    @Test("The trailer is found from the end; $$< inside the message does not confuse it")
    func dollarsInMessage() throws {
        let framed = try frame(simple("price $$<5> here") + "\n")
        #expect(framed.messages == ["price $$<5> here"])
        #expect(try framed.records.at(0).thread == 6344)
    }

    @Test("Date not zero-padded, bias not padded, thread without hex")
    func looseTrailer() throws {
        let framed = try frame("Next run  $$<SMS_SERVICE_CONNECTOR><9-3-2026 7:05:01.000+0><thread=12>\n")
        let record = try #require(framed.records.first)
        #expect(record.format == .simple)
        #expect(record.utcText == "2026-09-03T07:05:01.000Z")
        #expect(record.thread == 12)
    }
}

@Suite("Framing: copy form and plain")
struct CopyAndPlainFramingTests {
    @Test("Copy form: tab separated, month first by default, AM/PM")
    func copyForm() throws {
        let text = "Batching 27 records\tSMS_SERVICE_CONNECTOR\t2/28/2020 4:20:31 PM\t6344 (0x18C8)\n" +
            "Midnight\tC\t2/28/2020 12:00:01 AM\t1\n" +
            "Noon\tC\t2/28/2020 12:00:01 PM\t1\n" +
            "Morning error\tC\t2/28/2020 9:15:00 am\t1\n"
        let framed = try frame(text)
        #expect(framed.summary.format == .copy)
        #expect(framed.messages == ["Batching 27 records", "Midnight", "Noon", "Morning error"])
        let first = try framed.records.at(0)
        #expect(first.format == .copy)
        #expect(first.component == "SMS_SERVICE_CONNECTOR")
        #expect(first.thread == 6344)
        #expect(first.dateText == "2/28/2020" && first.timeText == "4:20:31 PM")
        #expect(first.local == CivilTime(year: 2020, month: 2, day: 28, hour: 16, minute: 20, second: 31))
        #expect(first.bias == nil && first.utc == nil, "the copy form carries no bias")
        #expect(framed.records.map { $0.local?.hour } == [16, 0, 12, 9])
        #expect(try framed.records.at(3).severity == .error)
    }

    @Test("Copy form: day first when the first number exceeds 12, and for later ambiguous dates; year first; two-digit year")
    func copyFormDayFirst() throws {
        let text = "a\tC\t28-2-2020 16:20:31\t1\n" +
            "b\tC\t13.01.2021 08:00:00\t1\n" +
            "c\tC\t2020-02-28 16:20:31.5\t1\n" +
            "d\tC\t3/4/20 1:02:03\t1\n"
        let framed = try frame(text)
        #expect(framed.records.map(\.local) == [
            CivilTime(year: 2020, month: 2, day: 28, hour: 16, minute: 20, second: 31),
            CivilTime(year: 2021, month: 1, day: 13, hour: 8, minute: 0, second: 0),
            CivilTime(year: 2020, month: 2, day: 28, hour: 16, minute: 20, second: 31, fractionTicks: 5_000_000),
            // Ambiguous, so read in the order the input's earlier dates showed: day first.
            CivilTime(year: 2020, month: 4, day: 3, hour: 1, minute: 2, second: 3),
        ])
    }

    @Test("Copy form with an assumed bias gets a UTC time")
    func copyFormAssumedBias() throws {
        let framed = try frame("a\tC\t2/28/2020 4:20:31 PM\t1\n", options: ReadOptions(assumedBias: -60))
        #expect(try framed.records.at(0).bias == -60)
        #expect(try framed.records.at(0).utcText == "2020-02-28T15:20:31.000Z")
    }

    @Test("Copy form: lines that do not fit are unrecognized")
    func copyFormJunk() throws {
        let framed = try frame("a\tC\t2/28/2020 4:20:31 PM\t1\nnot a copy line\n\nb\tC\t2/28/2020 4:20:32 PM\t2\n")
        #expect(framed.messages == ["a", "b"])
        #expect(framed.summary.unrecognizedLines == 1)
        #expect(framed.summary.unrecognizedSamples == [2])
    }

    @Test("Plain text: each non-blank line is a record with no metadata")
    func plain() throws {
        let text = "Received new notification. Validating basic notification details...\n\n  \nFailed to upload\n"
        let framed = try frame(text)
        #expect(framed.summary.format == .plain)
        #expect(framed.messages == ["Received new notification. Validating basic notification details...", "Failed to upload"])
        #expect(framed.records.map(\.line) == [1, 4])
        #expect(framed.records.map(\.severity) == [.info, .error])
        #expect(framed.records.allSatisfy { $0.utc == nil && $0.component.isEmpty && $0.thread == nil && $0.format == .plain })
        #expect(framed.summary.unrecognizedLines == 0)
    }
}

@Suite("Framing: detection")
struct DetectionTests {
    @Test("Each input is detected on its own")
    func perInput() throws {
        let dir = TemporaryDirectory()
        let a = try dir.write("CMGatewaySyncUploadWorker.log", cmtrace("rich") + "\n")
        let b = try dir.write("CMGatewayNotificationWorker.log", simple("simple") + "\n")
        let c = try dir.write("BgbServer.log", "x\tC\t2/28/2020 4:20:31 PM\t1\n")
        let d = try dir.write("CcmNotificationAgent.log", "just text\n")
        let stream = RecordStream(inputs: try InputResolver.resolve([a, b, c, d]))
        var formats: [LogFormat] = []
        try stream.run { formats.append($0.format) }
        #expect(formats == [.cmtrace, .simple, .copy, .plain])
        #expect(stream.summaries.map(\.format) == [.cmtrace, .simple, .copy, .plain])
        #expect(stream.summaries.map(\.kind) == [.syncUpload, .notification, .bgbServer, .notificationAgent])
    }

    @Test("--format overrides detection")
    func forced() throws {
        let rich = cmtrace("Batching 1 records") + "\n" + cmtrace("second") + "\n"
        let asPlain = try frame(rich, options: ReadOptions(format: .plain))
        #expect(asPlain.summary.format == .plain)
        #expect(asPlain.messages == [cmtrace("Batching 1 records"), cmtrace("second")])
        let simpleText = simple("one") + "\n" + simple("two") + "\n"
        let asCMTrace = try frame(simpleText, options: ReadOptions(format: .cmtrace))
        #expect(asCMTrace.records.isEmpty)
        #expect(asCMTrace.summary.unrecognizedLines == 2)
        // A file whose first lines look plain, forced to simple, gathers them into the first record.
        let forcedSimple = try frame("lead\n" + simple("one") + "\n", options: ReadOptions(format: .simple))
        #expect(forcedSimple.messages == ["lead\none"])
    }

    @Test("Undecided leading lines are held and replayed once the format is known (CMTrace)")
    func heldThenCMTrace() throws {
        let text = "Log opened\nby someone\n" + cmtrace("a") + "\n" + cmtrace("b") + "\n"
        for readSize in [1, Int.max] {
            let framed = try frame(text, readSize: readSize)
            #expect(framed.summary.format == .cmtrace)
            #expect(framed.messages == ["a", "b"])
            #expect(framed.records.map(\.line) == [3, 4])
            #expect(framed.summary.unrecognizedSamples == [1, 2])
        }
    }

    @Test("Undecided leading lines are held and replayed (simple: they join the first record)")
    func heldThenSimple() throws {
        let text = "Exception details:\nmore\n" + simple("end of it") + "\n" + simple("next") + "\n"
        let framed = try frame(text)
        #expect(framed.summary.format == .simple)
        #expect(framed.messages == ["Exception details:\nmore\nend of it", "next"])
        #expect(framed.records.map(\.line) == [1, 4])
        #expect(framed.records.map(\.endLine) == [3, 4])
    }

    @Test("Undecided leading lines are held and replayed (copy form)")
    func heldThenCopy() throws {
        let framed = try frame("Message\tComponent\tDate/Time\tThread\nx\tC\t2/28/2020 4:20:31 PM\t1\n")
        #expect(framed.summary.format == .copy)
        #expect(framed.messages == ["x"])
        #expect(framed.summary.unrecognizedSamples == [1])
    }

    @Test("Nothing decisive within the detection window: plain, nothing is lost, a later CMTrace line switches")
    func detectionWindow() throws {
        let lead = (1...RecordFramer.detectionLines).map { "line \($0)" }.joined(separator: "\n")
        let framed = try frame(lead + "\n" + cmtrace("late") + "\n")
        #expect(framed.summary.format == .plain)
        #expect(framed.records.count == RecordFramer.detectionLines + 1)
        #expect(framed.records.dropLast().allSatisfy { $0.format == .plain })
        #expect(framed.records.first?.message == "line 1")
        #expect(framed.records.last?.message == "late")
        #expect(framed.records.last?.format == .cmtrace)
        #expect(framed.summary.formatSwitches == 1)
        #expect(framed.records.map(\.line) == Array(1...(RecordFramer.detectionLines + 1)))
        // Forced plain never switches.
        let forced = try frame(lead + "\n" + cmtrace("late") + "\n", options: ReadOptions(format: .plain))
        #expect(forced.records.last?.message == cmtrace("late"))
        #expect(forced.summary.formatSwitches == 0)
    }

    @Test("An empty input frames nothing and stays undecided-plain")
    func empty() throws {
        let framed = try frame([UInt8]())
        #expect(framed.records.isEmpty)
        #expect(framed.summary.bytes == 0)
        #expect(framed.summary.lines == 0)
    }
}

@Suite("Framing: record cap")
struct RecordCapTests {
    let options = ReadOptions(maxRecordBytes: 4096)

    @Test("A 1 MB CMTrace line: kept head and tail, trailer metadata survives, rest counted")
    func hugeCMTraceLine() throws {
        let body = "Payload " + String(repeating: "0123456789", count: 100_000) + " END"
        let line = cmtrace(body, type: "2", thread: "77")
        let text = cmtrace("before") + "\n" + line + "\n" + cmtrace("after") + "\n"
        for readSize in [Int.max, 4093] {
            let framed = try frame(text, options: options, readSize: readSize)
            #expect(framed.messages.count == 3)
            let record = try framed.records.at(1)
            #expect(record.component == "SMS_SERVICE_CONNECTOR")
            #expect(record.thread == 77)
            #expect(record.severity == .warning)
            #expect(record.utcText == "2020-02-29T00:20:31.497Z")
            #expect(record.isComplete)
            #expect(record.message.hasPrefix("Payload 0123456789"))
            #expect(record.message.hasSuffix("789 END"))
            #expect(record.skippedBytes == line.utf8.count - 4096 - 2048)
            #expect(record.line == 2 && record.endLine == 2)
            #expect(try framed.messages.at(0) == "before" && framed.messages.at(2) == "after")
            #expect(try framed.records.at(2).line == 3)
            #expect(framed.summary.skippedBytes == record.skippedBytes)
        }
    }

    @Test("A 1 MB simple line: the trailer survives in the kept tail")
    func hugeSimpleLine() throws {
        let line = simple("Failed " + String(repeating: "x", count: 1 << 20) + " end", thread: 9)
        let framed = try frame(line + "\n" + simple("next") + "\n", options: options)
        #expect(framed.summary.format == .simple)
        #expect(framed.records.count == 2)
        let record = try framed.records.at(0)
        #expect(record.thread == 9)
        #expect(record.utc != nil)
        #expect(record.severity == .error)
        #expect(record.message.hasSuffix("x end"))
        #expect(record.skippedBytes == line.utf8.count - 4096 - 2048)
    }

    @Test("A multi-line record over the cap keeps the first bytes and its metadata; the rest is counted", arguments: [LogFormat.cmtrace, .simple])
    func multiLineOverCap(format: LogFormat) throws {
        let lines = (1...200).map { String(format: "detail line %03d ", $0) + String(repeating: "y", count: 40) }
        let joined = lines.joined(separator: "\n") + "\nlast"
        // A first small record decides the format (held lines are bounded by the cap too).
        let text: String
        if format == .cmtrace {
            text = cmtrace("first") + "\n" + cmtrace(lines.joined(separator: "\n") + "\nlast", thread: "5") + "\n" + cmtrace("next") + "\n"
        } else {
            text = simple("first") + "\n" + lines.joined(separator: "\n") + "\n" + simple("last", thread: 5) + "\n" + simple("next") + "\n"
        }
        let framed = try frame(text, options: options)
        #expect(framed.summary.format == format)
        #expect(framed.messages.count == 3)
        let record = try framed.records.at(1)
        #expect(record.thread == 5)
        #expect(record.utc != nil)
        #expect(record.isComplete)
        #expect(record.line == 2 && record.endLine == 202)
        #expect(record.messageBytes.count == 4096)
        #expect(record.messageBytes == Array(joined.utf8.prefix(4096)))
        #expect(record.skippedBytes == joined.utf8.count - 4096)
        #expect(try framed.messages.at(0) == "first" && framed.messages.at(2) == "next")
        #expect(try framed.records.at(2).skippedBytes == 0 && framed.records.at(2).line == 203)
        #expect(framed.summary.skippedBytes == record.skippedBytes)
    }
}

@Suite("Framing: byte search")
struct ByteSearchTests {
    @Test("lastIndex(of:) agrees with a plain backward loop on every window")
    func lastIndexAgrees() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            // Few distinct values so that hits, misses and neighbours of 0x80/0x01 all occur.
            let alphabet: [UInt8] = [0x21, 0x24, 0x00, 0x01, 0x80, 0xA1, 0x20, 0xFF]
            let bytes = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            bytes.withUnsafeBytes { buffer in
                for target in alphabet {
                    for lower in 0...length {
                        for upper in lower...length {
                            let expected = (lower..<upper).reversed().first { bytes[$0] == target }
                            let got = lastIndex(of: target, in: buffer, from: lower, to: upper)
                            if got != expected {
                                Issue.record("\(bytes) target \(target) \(lower)..<\(upper): \(String(describing: got)) != \(String(describing: expected))")
                                return
                            }
                        }
                    }
                }
            }
        }
    }

    @Test("The last marker wins when a message holds the marker text too")
    func lastMarkerWins() throws {
        let framed = try frame("<![LOG[a ]LOG]!><time=\"x\" b]LOG]!><time=\"16:20:31.497+480\" date=\"02-28-2020\" component=\"C\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\n")
        #expect(framed.messages == ["a ]LOG]!><time=\"x\" b"])
        #expect(try framed.records.at(0).component == "C")
        let simpleFramed = try frame("pay $$<5><x> then  $$<C><02-28-2020 16:20:31.497+480><thread=1 (0x1)>\n")
        #expect(simpleFramed.messages == ["pay $$<5><x> then"])
    }
}
