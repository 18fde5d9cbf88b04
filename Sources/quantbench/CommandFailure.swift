/// A command that cannot go on, in words: printed as `Error: …` without the usage text (which is for
/// arguments the parser rejects).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
