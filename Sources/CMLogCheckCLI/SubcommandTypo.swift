import ArgumentParser
import FoundationEssentials

/// `review` is the default subcommand, so `cmlogcheck reveiw` would read `reveiw` as a log
/// path and answer "no such file or folder". A first argument that is no file, no option
/// and no subcommand, but within two edits of one, is refused as the typo it is.
enum SubcommandTypo {
    static var names: [String] {
        CMLogCheck.configuration.subcommands.compactMap { $0.configuration.commandName }
    }

    /// The refusal for `arguments`, or nil when the first argument is not such a typo.
    static func check(_ arguments: [String], fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> CommandFailure? {
        guard let first = arguments.first, !first.hasPrefix("-"), !names.contains(first), !fileExists(first),
              let suggestion = names.min(by: { distance(first, $0) < distance(first, $1) }),
              distance(first.lowercased(), suggestion) <= 2 else { return nil }
        return CommandFailure("'\(first)' is not a subcommand, nor a file or folder: did you mean '\(suggestion)'? (cmlogcheck --help lists the subcommands)")
    }

    /// Levenshtein distance, with an adjacent swap counting as one edit (`reveiw`).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1) }
            }
        }
        return table[a.count][b.count]
    }
}
