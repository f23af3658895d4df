import Foundation
import Testing

/// The pipelines in docs/ci.md cannot run here (no GitHub or Azure runner), but their
/// cmlogcheck commands can: each is taken from the document as written, its output files
/// sent to a temporary folder, and run; each file it names must be written and be what
/// its format says.
@Suite struct CIDocTests {
    /// The `.build/release/cmlogcheck …` commands of docs/ci.md's YAML blocks, continuation lines joined.
    static func commands() throws -> [String] {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/ci.md"), encoding: .utf8)
        var commands: [String] = []
        var inYAML = false
        var pending: String?
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") { inYAML = line == "```yaml"; continue }
            guard inYAML else { continue }
            var piece = line
            if pending == nil {
                if piece.hasPrefix("run: ") { piece = String(piece.dropFirst(5)) }
                guard piece.hasPrefix(".build/release/cmlogcheck ") else { continue }
            }
            let continues = piece.hasSuffix("\\")
            if continues { piece = String(piece.dropLast()).trimmingCharacters(in: .whitespaces) }
            pending = pending.map { $0 + " " + piece } ?? piece
            if !continues, let command = pending {
                commands.append(command)
                pending = nil
            }
        }
        return commands
    }

    @Test("every cmlogcheck command of docs/ci.md runs and writes each file it names")
    func commandsRun() throws {
        let commands = try Self.commands()
        #expect(commands.count >= 3, "\(commands)")
        for command in commands {
            let folder = TemporaryDirectory()
            let arguments = command.replacingOccurrences(of: "$(Build.ArtifactStagingDirectory)", with: folder.path)
                .split(separator: " ").dropFirst().map { word -> String in
                    // A relative output file (`json=review.json`) goes to the temporary folder too.
                    guard let equals = word.firstIndex(of: "="), !word.hasPrefix("-"),
                          !word[word.index(after: equals)...].hasPrefix("/") else { return String(word) }
                    return word[...equals] + folder.path + "/" + word[word.index(after: equals)...]
                }
            let result = runCLI(arguments)
            #expect(result.status == 0, "\(command): status \(result.status): \(result.standardError)")
            for (index, word) in arguments.enumerated() where word == "--output" && index + 1 < arguments.count {
                let spec = arguments[index + 1]
                let format = String(spec.prefix { $0 != "=" })
                let path = String(spec.drop { $0 != "=" }.dropFirst())
                let written = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
                switch format {
                case "json", "sarif": #expect((try? JSONSerialization.jsonObject(with: Data(written.utf8))) != nil, "\(command): \(spec) is not JSON")
                case "html": #expect(written.hasPrefix("<!DOCTYPE html>"), "\(command): \(spec) is not an HTML page")
                case "junit": #expect(written.contains("<testsuites"), "\(command): \(spec) is not JUnit")
                default: #expect(!written.isEmpty, "\(command): \(spec) is empty")
                }
            }
        }
    }
}
