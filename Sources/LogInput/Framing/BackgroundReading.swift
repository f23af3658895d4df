import LogMatching

/// Reading and framing on a second thread: the reader fills a batch with
/// copies of its records while the caller analyses the previous batch. On a
/// two-core machine that overlaps the two halves of a review. Memory stays
/// bounded: two batches of about `batchBytes` each.
extension RecordStream {
    /// Like `run`, but frames on a background thread and hands the records to
    /// `body` on the calling thread, in the same order.
    package func runInBackground(batchBytes: Int = 1 << 20, _ body: (Record) throws -> Void) throws {
        let channel = BatchChannel(batches: [RecordBatch(capacity: batchBytes), RecordBatch(capacity: batchBytes)])
        // The stream is used by the reader thread alone until `cancel` has seen it finish.
        let stream = UncheckedBox(self)
        let produce: @Sendable () -> Void = {
            guard var batch = channel.takeEmpty() else { return channel.finish(error: nil) }
            do {
                try stream.value.run { record in
                    if !batch.fits(record) && !batch.records.isEmpty {
                        channel.putFull(batch)
                        guard let next = channel.takeEmpty() else { throw CancellationError() }
                        batch = next
                    }
                    if batch.fits(record) {
                        batch.append(record)
                    } else {
                        // Larger than a whole batch (records run to the record cap and
                        // more with their trailer): it travels alone, in a batch of its own.
                        let single = RecordBatch(capacity: RecordBatch.bytes(of: record), isSingle: true)
                        single.append(record)
                        channel.putFull(single)
                    }
                }
                if !batch.records.isEmpty { channel.putFull(batch) }
                channel.finish(error: nil)
            } catch {
                // Queued records are still handed on; only a reader failure is reported.
                if !batch.records.isEmpty { channel.putFull(batch) }
                channel.finish(error: error)
            }
        }
        guard ReaderThread.start(stackSize: 1 << 20, produce) else {
            // No second thread to be had: frame and analyse on this one.
            return try run(body)
        }
        defer { channel.cancel() }
        while let batch = channel.takeFull() {
            for record in batch.records { try body(record) }
            batch.reset()
            if !batch.isSingle { channel.putEmpty(batch) }
        }
        if let error = channel.failure, !(error is CancellationError) { throw error }
    }
}

/// Moves a value to another thread whose use of it the caller serialises.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Copies of records, their bytes in one buffer.
final class RecordBatch: @unchecked Sendable {
    private let storage: UnsafeMutableRawBufferPointer
    private var used = 0
    private(set) var records: [Record] = []
    static let maxRecords = 4096

    /// A batch made for one record too large for the shared ones; dropped after use.
    let isSingle: Bool

    init(capacity: Int, isSingle: Bool = false) {
        storage = .allocate(byteCount: max(capacity, 1), alignment: 16)
        self.isSingle = isSingle
        records.reserveCapacity(isSingle ? 1 : RecordBatch.maxRecords)
    }

    static func bytes(of record: Record) -> Int {
        record.message.count + record.component.count + record.dateText.count + record.timeText.count
    }

    deinit { storage.deallocate() }

    func fits(_ record: Record) -> Bool {
        records.count < RecordBatch.maxRecords && used + RecordBatch.bytes(of: record) <= storage.count
    }

    func append(_ record: Record) {
        precondition(fits(record), "a record was appended to a batch without room for it")
        var copy = record
        copy.message = keep(record.message)
        copy.component = keep(record.component)
        copy.dateText = keep(record.dateText)
        copy.timeText = keep(record.timeText)
        records.append(copy)
    }

    func reset() {
        used = 0
        records.removeAll(keepingCapacity: true)
    }

    private func keep(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let destination = storage.baseAddress! + used
        destination.copyMemory(from: source, byteCount: bytes.count)
        used += bytes.count
        return UnsafeRawBufferPointer(start: destination, count: bytes.count)
    }
}

/// Hands batches between the reading thread and the analysing one.
final class BatchChannel: @unchecked Sendable {
    private let condition = ThreadCondition()
    private var empty: [RecordBatch]
    private var full: [RecordBatch] = []
    private var finished = false
    private var cancelled = false
    private(set) var failure: (any Error)?

    init(batches: [RecordBatch]) { empty = batches }

    /// An empty batch to fill, or nil when the reader should stop.
    func takeEmpty() -> RecordBatch? {
        condition.lock()
        defer { condition.unlock() }
        while empty.isEmpty && !cancelled { condition.wait() }
        return cancelled ? nil : empty.removeFirst()
    }

    func putFull(_ batch: RecordBatch) {
        condition.lock()
        full.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    /// The next filled batch in order, or nil once the reader has finished and all were taken.
    func takeFull() -> RecordBatch? {
        condition.lock()
        defer { condition.unlock() }
        while full.isEmpty && !finished { condition.wait() }
        return full.isEmpty ? nil : full.removeFirst()
    }

    func putEmpty(_ batch: RecordBatch) {
        condition.lock()
        empty.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    func finish(error: (any Error)?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The analysing side stopped: release the reader. Waits until it has finished.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
