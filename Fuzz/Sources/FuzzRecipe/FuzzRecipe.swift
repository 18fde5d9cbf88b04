import Engine

/// One libFuzzer input: recipe text (YAML, decoded as UTF-8 with repairs). It must either parse or throw a
/// `RecipeError`; a recipe that parses must write YAML that parses again to the same recipe. A trap or a
/// sanitizer report is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecipe(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let recipe = try? RecipeParser.parse(text, defaultName: "fuzz") else { return 0 }
    let written = recipe.yaml()
    do {
        var again = try RecipeParser.parse(written, defaultName: "fuzz")
        again.text = recipe.text
        guard again == recipe else { fatalError("the written recipe parses to a different one:\n\(written)") }
    } catch {
        fatalError("the written recipe does not parse (\(error)):\n\(written)")
    }
    return 0
}
