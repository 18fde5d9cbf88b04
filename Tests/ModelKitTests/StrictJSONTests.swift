import Testing
@testable import ModelKit

@Suite("Strict JSON")
struct StrictJSONTests {
    private func parse(_ text: String) throws(StrictJSONSyntaxError) -> StrictJSON {
        try StrictJSONParser.parse(Array(text.utf8))
    }

    @Test func keepsMemberOrderAndDuplicates() throws {
        let value = try parse(#" {"b": 1, "a": [true, false, null], "b": "x"} "#)
        guard case let .object(members) = value else { Issue.record("expected an object"); return }
        #expect(members.map(\.key) == ["b", "a", "b"])
        #expect(members[1].value == .array([.bool(true), .bool(false), .null]))
        #expect(value["b"] == .string("x"))
        #expect(value["c"] == nil)
    }

    @Test func decodesEscapes() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\té😀"))
    }

    @Test func keepsNumberTextExact() throws {
        #expect(try parse("[0, -12, 1.5e-12, 18446744073709551616]")
            == .array([.number("0"), .number("-12"), .number("1.5e-12"), .number("18446744073709551616")]))
    }

    @Test(arguments: [
        ("[01]", StrictJSONSyntaxError(offset: 2, reason: "expected ',' or ']'")),
        ("[1.]", StrictJSONSyntaxError(offset: 3, reason: "invalid number fraction")),
        (#""\ud800x""#, StrictJSONSyntaxError(offset: 7, reason: "unpaired surrogate in \\u escape")),
        (#""\u12G4""#, StrictJSONSyntaxError(offset: 3, reason: "invalid \\u escape")),
        (#""\q""#, StrictJSONSyntaxError(offset: 3, reason: "invalid escape")),
        ("\"a\nb\"", StrictJSONSyntaxError(offset: 3, reason: "unescaped control character in string")),
        ("{\"a\" 1}", StrictJSONSyntaxError(offset: 5, reason: "expected ':'")),
        ("[1,]", StrictJSONSyntaxError(offset: 3, reason: "unexpected character")),
        ("tru", StrictJSONSyntaxError(offset: 3, reason: "invalid literal, expected true")),
        (String(repeating: "[", count: 65), StrictJSONSyntaxError(offset: 64, reason: "nesting deeper than 64")),
    ])
    func rejectsInvalidText(_ text: String, _ expected: StrictJSONSyntaxError) {
        #expect(throws: expected) { try parse(text) }
    }
}
