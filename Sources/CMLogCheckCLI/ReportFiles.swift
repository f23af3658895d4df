import ArgumentParser
import LogReport
#if canImport(Glibc)
import Glibc
#endif

/// `review --output FORMAT=FILE`: one more format of the same review, written to a file, so
/// that one run gives the text on screen and a JSON or HTML artifact for a pipeline.
struct ReportFileRequest: ExpressibleByArgument, Equatable {
    var format: ReportFormat
    var path: String

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="),
              let format = ReportFormat(rawValue: String(argument[..<equals]).lowercased()) else { return nil }
        let path = String(argument[argument.index(after: equals)...])
        guard !path.isEmpty else { return nil }
        self.format = format
        self.path = path
    }

    static var defaultCompletionKind: CompletionKind { .file() }
}

/// The files of `--output`, opened before any log is read: a folder that does not exist
/// should stop the run at once, not after an hour of reading.
final class ReportFiles {
    private(set) var files: [(format: ReportFormat, output: Output, descriptor: Int32)] = []

    init(_ requests: [ReportFileRequest]) throws {
        for request in requests {
            let descriptor = open(request.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                let reason = String(cString: strerror(errno))
                close()
                throw CommandFailure("cannot write the \(request.format.rawValue) report to \(Terminal.clean(request.path)): \(reason)")
            }
            files.append((request.format, Output(descriptor: descriptor, name: Terminal.clean(request.path)), descriptor))
        }
    }

    /// Writes each file with `write`, flushes and closes it; the first write error is thrown.
    func write(_ write: (ReportFormat, Output) -> Void) throws {
        defer { close() }
        for file in files {
            write(file.format, file.output)
            file.output.flush()
            if case .some(let failure) = file.output.failure {
                // A file is never a closed pipe to be quiet about: say so, whatever the errno.
                throw CommandFailure(failure.message ?? "cannot write to \(file.output.name)")
            }
        }
    }

    private func close() {
        for file in files { _ = Glibc.close(file.descriptor) }
        files = []
    }
}
