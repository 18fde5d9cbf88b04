import Engine
import Testing

/// Parsing `text` must fail with a `RecipeError` at `line` whose message contains `reason`.
func expectRecipeError(_ text: String, line: Int, reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try RecipeParser.parse(text)
        Issue.record("accepted: \(text)", sourceLocation: sourceLocation)
    } catch let e as RecipeError {
        #expect(e.line == line, "\(e)", sourceLocation: sourceLocation)
        #expect(e.message.contains(reason), "\(e)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}
