/// The tool's name and version, written into every JSON document cmlogcheck writes so that
/// a stored report says which build made it (docs/report-json.md). `--version` prints the same.
package enum ToolVersion {
    package static let name = "cmlogcheck"
    package static let version = "0.1.0"

    /// `{"name": "cmlogcheck", "version": "…"}`.
    package static var json: JSON { .object([("name", .string(name)), ("version", .string(version))]) }

    /// `,"tool":{…}}` and the line end: how every JSON Lines object of `records` and `tail`
    /// ends, so that each line says its build even when a stream is cut, filtered or
    /// concatenated (a header line would be lost, and would break `jq .message`). Name and
    /// version are plain ASCII: nothing to escape.
    package static let jsonLineEnd = ",\"tool\":{\"name\":\"\(name)\",\"version\":\"\(version)\"}}\n"
}
