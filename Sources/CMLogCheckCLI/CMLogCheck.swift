import ArgumentParser
import LogMatching
import LogInput
import LogRules
import LogAnalysis
import LogFindings
import LogReport
import LogFollow
#if canImport(Glibc)
import Glibc
#endif

/// Where a command writes and reads. Bound per run so that tests can run
/// commands in parallel, each with its own streams.
package struct CommandContext: Sendable {
    package var standardOutput: Output
    package var standardError: Output
    /// Bytes to serve as standard input; nil reads the process's own.
    package var standardInput: [UInt8]?
    /// Whether standard output is a terminal (colour, layout).
    package var outputIsTerminal: Bool
    /// `COLUMNS`, the one variable the text report's width reads (tests set it here, not in
    /// the process's environment); nil: not set.
    package var columns: String?

    @TaskLocal package static var current = CommandContext(
        standardOutput: .standardOutput, standardError: .standardError, standardInput: nil,
        outputIsTerminal: isatty(1) == 1, columns: getenv("COLUMNS").map { String(cString: $0) })

    package init(standardOutput: Output, standardError: Output, standardInput: [UInt8]?, outputIsTerminal: Bool, columns: String? = nil) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.standardInput = standardInput
        self.outputIsTerminal = outputIsTerminal
        self.columns = columns
    }

    /// The columns the text report on standard output is fitted to (docs/terminal.md).
    package var textWidth: Int? {
        TerminalWidth.columns(isTerminal: outputIsTerminal, descriptor: standardOutput === Output.standardOutput ? 1 : nil,
                              environment: columns.map { ["COLUMNS": $0] } ?? [:])
    }

    /// Whether standard input would block on a person typing rather than deliver piped logs.
    var standardInputIsTerminal: Bool { standardInput == nil && isatty(0) == 1 }
}

extension Output: @unchecked Sendable {}

package struct CMLogCheck: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "cmlogcheck",
        abstract: "Reads Configuration Manager tenant attach logs and says what the device upload and device actions are doing.",
        discussion: """
        Give it the service connection point's Logs folder, copied log files, or pipe the logs in.

        Examples:
          cmlogcheck review \\
            'C:\\Program Files\\Microsoft Configuration Manager\\Logs'
          cmlogcheck review CMGatewaySyncUploadWorker.lo_ \\
            CMGatewaySyncUploadWorker.log
          cat CMGatewaySyncUploadWorker.log | cmlogcheck review
          cmlogcheck records --grep 'Batching \\d+ records' Logs/
          cmlogcheck rules
        """,
        version: ToolVersion.version,
        subcommands: [ReviewCommand.self, RecordsCommand.self, RulesCommand.self, TailCommand.self, ExplainCommand.self],
        defaultSubcommand: ReviewCommand.self)

    package init() {}

    /// Parses `arguments`, runs the command and returns the exit status:
    /// 0 success, 1 findings at or above --fail-on (or a tail --exit-on alert), 2 usage or input errors
    /// (and a write error on standard output, EPIPE aside: a closed reader ends the run quietly).
    package static func run(arguments: [String], context: CommandContext) -> Int32 {
        CommandContext.$current.withValue(context) {
            defer { context.standardError.flush() }
            var ending: Ending
            do {
                if let typo = SubcommandTypo.check(arguments) { throw typo }
                var command = try parseAsRoot(arguments)
                try command.run()
                ending = Ending(status: 0)
            } catch {
                ending = Ending(error)
                if let message = ending.message, ending.toStandardOutput {
                    context.standardOutput.write(message + "\n")  // --help, --version
                    ending.message = nil
                }
            }
            // Standard output is flushed before the status is decided: output that did not
            // reach its file (a full disk) must not end in success.
            context.standardOutput.flush()
            if case .failed = context.standardOutput.failure { ending = Ending(context.standardOutput.failure!) }
            // Messages name files, folders, rule ids and option values as given: made safe for the
            // terminal here, once for every stage's error (line breaks of usage text kept).
            if let message = ending.message { context.standardError.write(Terminal.clean(message, limit: 20_000, keepLineBreaks: true) + "\n") }
            return ending.status
        }
    }

    /// How a run that threw ends: the one place every error becomes a message and a
    /// status. Commands throw the stages' own errors; none catches one just to reword it.
    struct Ending {
        var message: String?
        var status: Int32
        /// Help and version requests are answers, not errors.
        var toStandardOutput = false

        init(status: Int32) { self.status = status }

        init(_ error: any Error) {
            switch error {
            case let failure as WriteFailure:
                // The reader of standard output went away (`| head -1`): it has what it wanted,
                // so stop quietly with status 0. Any other write error leaves the output
                // incomplete: exit 2 with the reason.
                message = failure.message.map { "cmlogcheck: \($0)" }
                status = failure == .closed ? 0 : 2
            case let code as ExitCode:
                // Findings at or above --fail-on, or a tail alert: the output already said why.
                status = code.rawValue
            case let failure as CommandFailure:
                message = "cmlogcheck: \(failure.message)"
                status = failure.status
            case let failure as InputError:
                // A path that does not exist, a file that vanished or failed mid-read.
                message = "cmlogcheck: \(failure.message)"
                status = 2
            case let failure as RuleError:
                message = "cmlogcheck: bad rule: \(failure)"
                status = 2
            case let failure as DeviceFileError:
                message = "cmlogcheck: \(failure.message)"
                status = 2
            case let failure as EvaluationError:
                message = "cmlogcheck: \(failure.message)"
                status = 2
            default:
                // ArgumentParser's own: usage errors (with the usage), and help or version requests.
                // Help is fitted to COLUMNS when it is set, as the report is (docs/terminal.md).
                let text = CMLogCheck.fullMessage(for: error, columns: CommandContext.current.columns.flatMap { Int($0) })
                message = text.isEmpty ? nil : text
                if CMLogCheck.exitCode(for: error) == .success {
                    status = 0
                    toStandardOutput = true
                } else {
                    status = 2
                }
            }
        }
    }

    package static func runAsMain() -> Never {
        signal(SIGPIPE, SIG_IGN)
        // argv's bytes, not CommandLine.arguments: that repairs a file name that is not UTF-8
        // into U+FFFD, which names no file; PathName keeps its bytes.
        let arguments = (1..<Int(CommandLine.argc)).compactMap { CommandLine.unsafeArgv[$0].map { PathName.decode(cString: $0) } }
        let status = run(arguments: arguments, context: .current)
        Glibc.exit(status)
    }
}

/// An error that ends a command with a message and a status (2 for bad usage or input).
package struct CommandFailure: Error {
    package var message: String
    package var status: Int32

    package init(_ message: String, status: Int32 = 2) {
        self.message = message
        self.status = status
    }
}
