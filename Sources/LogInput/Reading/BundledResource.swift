import FoundationEssentials

/// Where a data file that ships with cmlogcheck is read from. The files
/// (default-rules.json, knowledge.json, finding-texts.json) are built into the
/// binary by the EmbedResources plugin, so a copied or installed binary needs
/// nothing beside it; an environment variable can still point at another copy
/// (an install that keeps edited data elsewhere, or an edit to try out).
package enum BundledResource {
    /// The file named by the environment variable `variable`, when it is set and
    /// that file exists; nil means "use the built-in copy".
    package static func overridePath(_ variable: String) -> String? {
        guard let path = ProcessInfo.processInfo.environment[variable], FileManager.default.fileExists(atPath: path) else { return nil }
        return path
    }

    /// How an error names the built-in copy of `name`.
    package static func builtInName(_ name: String) -> String { "\(name) (built in)" }

}

extension BundledResource {
    /// Why a data file could not be had: `file` names it, as the loader's errors do.
    package struct Failure: Error {
        package var file: String
        package var message: String
    }

    /// The bytes of data file `name` and the name its errors give: the file at `path` (an
    /// override), else the built-in copy; `variable` is what an error tells the reader to set.
    package static func data(_ name: String, path: String?, builtIn: [UInt8]?, variable: String) throws(Failure) -> (Data, String) {
        if let path {
            do { return (try Data(contentsOf: URL(fileURLWithPath: path)), path) } catch {
                throw Failure(file: path, message: "cannot read: \(String(describing: error))")
            }
        }
        guard let builtIn else {
            throw Failure(file: name, message: "this cmlogcheck was built without its \(name): set \(variable) to one")
        }
        return (Data(builtIn), builtInName(name))
    }
}
