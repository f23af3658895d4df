import Foundation
import Testing

/// The validator the schema tests rest on must reject what is wrong, or every pass means nothing.
@Suite("JSON Schema validator")
struct JSONSchemaValidatorTests {
    func validator(_ schema: String) throws -> JSONSchemaValidator { try JSONSchemaValidator(JSONValue.parse(schema)) }
    func errors(_ schema: String, _ instance: String) throws -> [String] { try validator(schema).errors(JSONValue.parse(instance)) }

    @Test("types: integer is not boolean, 1.5 is not an integer, null only where allowed")
    func types() throws {
        #expect(try errors(#"{"type": "integer"}"#, "3").isEmpty)
        #expect(try !errors(#"{"type": "integer"}"#, "1.5").isEmpty)
        #expect(try !errors(#"{"type": "integer"}"#, "true").isEmpty)
        #expect(try !errors(#"{"type": "boolean"}"#, "1").isEmpty)
        #expect(try errors(#"{"type": "number"}"#, "2").isEmpty)
        #expect(try errors(#"{"type": ["string", "null"]}"#, "null").isEmpty)
        #expect(try !errors(#"{"type": "string"}"#, "null").isEmpty)
    }

    @Test("objects: a missing required key, an extra key under additionalProperties false, a wrong nested value")
    func objects() throws {
        let schema = #"{"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer", "minimum": 0}}, "required": ["a", "b"], "additionalProperties": false}"#
        #expect(try errors(schema, #"{"a": "x", "b": 1}"#).isEmpty)
        #expect(try errors(schema, #"{"a": "x"}"#) == [#"$: the required key "b" is missing"#])
        #expect(try errors(schema, #"{"a": "x", "b": 1, "c": 2}"#) == [#"$: the key "c" is not allowed"#])
        #expect(try errors(schema, #"{"a": "x", "b": -1}"#) == ["$.b: -1.0 is below the minimum 0.0"])
        #expect(try errors(#"{"additionalProperties": {"type": "string"}}"#, #"{"k": 1}"#).count == 1)
    }

    @Test("enum, const, pattern, minLength, items and minItems")
    func values() throws {
        #expect(try errors(#"{"enum": ["ok", "late"]}"#, #""ok""#).isEmpty)
        #expect(try !errors(#"{"enum": ["ok", "late"]}"#, #""failed""#).isEmpty)
        #expect(try errors(#"{"const": 2}"#, "2").isEmpty)
        #expect(try !errors(#"{"const": 2}"#, "1").isEmpty)
        #expect(try errors(#"{"pattern": "Z$"}"#, #""2020-01-01T00:00:00.000Z""#).isEmpty)
        #expect(try !errors(#"{"pattern": "Z$"}"#, #""2020-01-01T00:00:00.000""#).isEmpty)
        #expect(try !errors(#"{"minLength": 1}"#, #""""#).isEmpty)
        #expect(try errors(#"{"items": {"type": "integer"}, "minItems": 1}"#, "[1, 2]").isEmpty)
        #expect(try errors(#"{"items": {"type": "integer"}}"#, #"[1, "2"]"#) == [#"$[1]: "2" is not of type integer"#])
        #expect(try !errors(#"{"minItems": 1}"#, "[]").isEmpty)
    }

    @Test("$ref into $defs, oneOf exactly one, anyOf, allOf, if/then")
    func composition() throws {
        let ref = ##"{"$defs": {"n": {"type": "integer"}}, "properties": {"x": {"$ref": "#/$defs/n"}}}"##
        #expect(try errors(ref, #"{"x": 1}"#).isEmpty)
        #expect(try !errors(ref, #"{"x": "1"}"#).isEmpty)
        #expect(try !errors(##"{"$ref": "#/$defs/missing"}"##, "1").isEmpty)
        let oneOf = #"{"oneOf": [{"type": "integer"}, {"type": "number"}]}"#
        #expect(try !errors(oneOf, "1").isEmpty, "an integer matches both branches")
        #expect(try errors(oneOf, "1.5").isEmpty)
        #expect(try !errors(#"{"anyOf": [{"type": "string"}, {"type": "null"}]}"#, "1").isEmpty)
        #expect(try !errors(#"{"allOf": [{"type": "integer"}, {"minimum": 5}]}"#, "3").isEmpty)
        let conditional = #"{"if": {"properties": {"p": {"const": "seen"}}, "required": ["p"]}, "then": {"required": ["source"]}}"#
        #expect(try !errors(conditional, #"{"p": "seen"}"#).isEmpty)
        #expect(try errors(conditional, #"{"p": "assumed"}"#).isEmpty)
    }

    @Test("a schema with a keyword outside the subset is refused, not half-checked")
    func unsupportedKeyword() throws {
        #expect(throws: JSONSchemaValidator.Unsupported.self) { try validator(#"{"properties": {"a": {"maxLength": 3}}}"#) }
        #expect(throws: JSONSchemaValidator.Unsupported.self) { try validator(#"{"patternProperties": {}}"#) }
    }

    @Test("the parser keeps escapes and surrogate pairs, refuses duplicate keys and trailing text")
    func parser() throws {
        #expect(try JSONValue.parse(#""a\"b\u00e9\ud83d\ude00\n""#) == .string("a\"bé😀\n"))
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(#"{"a": 1, "a": 2}"#) }
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse("[1,]") }
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse("1 2") }
    }
}
