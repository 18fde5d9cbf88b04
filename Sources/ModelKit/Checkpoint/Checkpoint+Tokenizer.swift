extension Checkpoint {
    /// The checkpoint's tokenizer: `tokenizer.json` in the model folder, or the one a GGUF file's metadata holds.
    public func loadTokenizer() throws -> Tokenizer {
        try Tokenizer(contentsOf: directory.appendingPathComponent("tokenizer.json"))
    }
}
