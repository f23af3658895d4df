/// The tool's name and version, written into every JSON document cmlogcheck writes so that
/// a stored report says which build made it (docs/report-json.md). `--version` prints the same.
package enum ToolVersion {
    package static let name = "cmlogcheck"
    package static let version = "0.1.0"

    /// `{"name": "cmlogcheck", "version": "…"}`.
    package static var json: JSON { .object([("name", .string(name)), ("version", .string(version))]) }
}
