import Foundation

/// A JSON Schema (draft 2020-12) validator for the subset docs/schema/ uses, so that the
/// schemas are checked here without a package Swift does not have. A schema that uses a
/// keyword outside the subset is refused when loaded, not half-checked: the subset is
/// `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`, `const`,
/// `$ref` (a `#/…` pointer into the same document), `oneOf`, `anyOf`, `allOf`,
/// `if`/`then`/`else`, `minimum`, `minItems`, `minLength` and `pattern` (ICU regular
/// expressions, searched as ECMA-262's are, unanchored); `$schema`, `$id`, `$defs`,
/// `title`, `description` and `$comment` are annotations.
struct JSONSchemaValidator {
    let root: JSONValue

    static let assertions: Set<String> = ["type", "properties", "required", "additionalProperties", "items", "enum", "const",
                                          "$ref", "oneOf", "anyOf", "allOf", "if", "then", "else", "minimum", "minItems",
                                          "minLength", "pattern"]
    static let annotations: Set<String> = ["$schema", "$id", "$defs", "title", "description", "$comment"]

    struct Unsupported: Error, CustomStringConvertible {
        var keyword: String
        var at: String
        var description: String { "the schema uses '\(keyword)' at \(at), which this validator does not check" }
    }

    init(_ schema: JSONValue) throws {
        root = schema
        try Self.checkKeywords(schema, at: "#")
    }

    init(file: URL) throws {
        try self.init(JSONValue.parse(String(decoding: try Data(contentsOf: file), as: UTF8.self)))
    }

    private static func checkKeywords(_ schema: JSONValue, at path: String) throws {
        guard case .object(let members) = schema else { return }
        for (keyword, value) in members {
            guard assertions.contains(keyword) || annotations.contains(keyword) else { throw Unsupported(keyword: keyword, at: path) }
            switch keyword {
            case "properties", "$defs":
                guard case .object(let children) = value else { continue }
                for (name, child) in children { try checkKeywords(child, at: "\(path)/\(keyword)/\(name)") }
            case "items", "additionalProperties", "if", "then", "else":
                try checkKeywords(value, at: "\(path)/\(keyword)")
            case "oneOf", "anyOf", "allOf":
                for (index, child) in (value.items ?? []).enumerated() { try checkKeywords(child, at: "\(path)/\(keyword)/\(index)") }
            default: break
            }
        }
    }

    /// Every way `instance` fails the schema, each as `path: what`; empty when it is valid.
    func errors(_ instance: JSONValue) -> [String] {
        var found: [String] = []
        validate(instance, against: root, at: "$", into: &found)
        return found
    }

    private func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#") else { return nil }
        var node = root
        for token in reference.dropFirst().split(separator: "/") {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let next = node[key] else { return nil }
            node = next
        }
        return node
    }

    private func validate(_ instance: JSONValue, against schema: JSONValue, at path: String, into found: inout [String]) {
        switch schema {
        case .bool(true): return
        case .bool(false): found.append("\(path): no value is allowed here"); return
        case .object: break
        default: found.append("\(path): the schema is not an object or a boolean"); return
        }
        if let reference = schema["$ref"]?.text {
            if let target = resolve(reference) { validate(instance, against: target, at: path, into: &found) } else { found.append("\(path): $ref \(reference) resolves to nothing") }
        }
        if let type = schema["type"] {
            let names = type.items?.compactMap(\.text) ?? [type.text].compactMap { $0 }
            if !names.contains(where: { Self.matches(instance, type: $0) }) {
                found.append("\(path): \(instance) is not of type \(names.joined(separator: " or "))")
                return
            }
        }
        if let allowed = schema["enum"]?.items, !allowed.contains(instance) {
            found.append("\(path): \(instance) is not one of \(allowed.map(\.description).joined(separator: ", "))")
        }
        if let constant = schema["const"], constant != instance {
            found.append("\(path): \(instance) is not \(constant)")
        }
        if let minimum = schema["minimum"]?.numeric, let value = instance.numeric, value < minimum {
            found.append("\(path): \(value) is below the minimum \(minimum)")
        }
        if case .string(let text) = instance {
            if let least = schema["minLength"]?.numeric, Double(text.unicodeScalars.count) < least {
                found.append("\(path): \(instance) is shorter than \(Int(least))")
            }
            if let pattern = schema["pattern"]?.text {
                let expression = try? NSRegularExpression(pattern: pattern)
                if expression?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                    found.append("\(path): \(instance) does not match \(pattern)")
                }
            }
        }
        if case .array(let items) = instance {
            if let least = schema["minItems"]?.numeric, Double(items.count) < least {
                found.append("\(path): \(items.count) items, fewer than \(Int(least))")
            }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() { validate(item, against: itemSchema, at: "\(path)[\(index)]", into: &found) }
            }
        }
        if case .object(let members) = instance {
            let properties: [String: JSONValue]
            if case .object(let declared)? = schema["properties"] { properties = declared } else { properties = [:] }
            for name in schema["required"]?.items?.compactMap(\.text) ?? [] where members[name] == nil {
                found.append("\(path): the required key \(name.debugDescription) is missing")
            }
            for (name, value) in members.sorted(by: { $0.key < $1.key }) {
                if let property = properties[name] {
                    validate(value, against: property, at: "\(path).\(name)", into: &found)
                } else if let additional = schema["additionalProperties"] {
                    if case .bool(false) = additional {
                        found.append("\(path): the key \(name.debugDescription) is not allowed")
                    } else {
                        validate(value, against: additional, at: "\(path).\(name)", into: &found)
                    }
                }
            }
        }
        if let all = schema["allOf"]?.items {
            for branch in all { validate(instance, against: branch, at: path, into: &found) }
        }
        if let any = schema["anyOf"]?.items, !any.contains(where: { passes(instance, $0, path) }) {
            found.append("\(path): \(instance) matches none of anyOf's \(any.count) schemas")
        }
        if let one = schema["oneOf"]?.items {
            let passing = one.filter { passes(instance, $0, path) }.count
            if passing != 1 { found.append("\(path): matches \(passing) of oneOf's \(one.count) schemas, not exactly one") }
        }
        if let condition = schema["if"] {
            if passes(instance, condition, path) {
                if let then = schema["then"] { validate(instance, against: then, at: path, into: &found) }
            } else if let otherwise = schema["else"] {
                validate(instance, against: otherwise, at: path, into: &found)
            }
        }
    }

    private func passes(_ instance: JSONValue, _ schema: JSONValue, _ path: String) -> Bool {
        var found: [String] = []
        validate(instance, against: schema, at: path, into: &found)
        return found.isEmpty
    }

    /// JSON Schema's types; an integer is also a number, and a number with no fraction an integer.
    static func matches(_ instance: JSONValue, type: String) -> Bool {
        switch (type, instance) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object),
             ("integer", .integer), ("number", .integer), ("number", .number): true
        case ("integer", .number(let value)): value == value.rounded() && value.isFinite
        default: false
        }
    }
}
