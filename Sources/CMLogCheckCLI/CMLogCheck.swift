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

    @TaskLocal package static var current = CommandContext(
        standardOutput: .standardOutput, standardError: .standardError, standardInput: nil,
        outputIsTerminal: isatty(1) == 1)

    package init(standardOutput: Output, standardError: Output, standardInput: [UInt8]?, outputIsTerminal: Bool) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.standardInput = standardInput
        self.outputIsTerminal = outputIsTerminal
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
          cmlogcheck review 'C:\\Program Files\\Microsoft Configuration Manager\\Logs'
          cmlogcheck review CMGatewaySyncUploadWorker.lo_ CMGatewaySyncUploadWorker.log
          cat CMGatewaySyncUploadWorker.log | cmlogcheck review
          cmlogcheck records --grep 'Batching \\d+ records' CMGatewaySyncUploadWorker.log
          cmlogcheck rules
        """,
        version: "0.1.0",
        subcommands: [ReviewCommand.self, RecordsCommand.self, RulesCommand.self, TailCommand.self, ExplainCommand.self],
        defaultSubcommand: ReviewCommand.self)

    package init() {}

    /// Parses `arguments`, runs the command and returns the exit status:
    /// 0 success, 1 findings at or above --fail-on, 2 usage or input errors.
    package static func run(arguments: [String], context: CommandContext) -> Int32 {
        CommandContext.$current.withValue(context) {
            defer {
                context.standardOutput.flush()
                context.standardError.flush()
            }
            do {
                var command = try parseAsRoot(arguments)
                try command.run()
                return 0
            } catch let failure as CommandFailure {
                context.standardError.write("cmlogcheck: \(failure.message)\n")
                return failure.status
            } catch let failure as InputError {
                // A file that vanished or failed mid-read: the same message and status as other bad input.
                context.standardError.write("cmlogcheck: \(failure.message)\n")
                return 2
            } catch let failure as RuleError {
                context.standardError.write("cmlogcheck: bad rule: \(failure)\n")
                return 2
            } catch let code as ExitCode {
                return code.rawValue
            } catch {
                let message = fullMessage(for: error)
                let status = exitCode(for: error)
                if status == .success {
                    context.standardOutput.write(message + "\n")
                    return 0
                }
                context.standardError.write(message + "\n")
                return 2
            }
        }
    }

    package static func runAsMain() -> Never {
        signal(SIGPIPE, SIG_IGN)
        let status = run(arguments: Array(CommandLine.arguments.dropFirst()), context: .current)
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
