import QuantCore

extension TransformerModel {
    /// The longest sequence the model was trained for: its position table, or for rotary positions the
    /// config's `max_position_embeddings` (a GGUF file's `context_length`).
    public var contextLength: Int {
        if let maxSequenceLength { return maxSequenceLength }
        if case let .llama(config) = checkpoint.config { return config.maxPositionEmbeddings }
        return Int.max
    }

    /// The greedy continuation of `prompt`: up to `count` tokens, each the arg-max of the next-token logits
    /// (the first on ties, as `torch.argmax`), ending early after a token of `stop`, or before a token once
    /// `isCancelled` says so (with the tokens generated so far), and at the model's context length.
    ///
    /// Every step runs the whole sequence through the blocks again (no key/value cache) and only the last row
    /// through the LM head: a few seconds for tens of tokens on a 135M model.
    public func greedyContinuation(of prompt: [Int], count: Int, stop: Set<Int> = [],
                                   isCancelled: () -> Bool = { false }) throws(ForwardError) -> [Int] {
        precondition(isCausalLM, "greedy generation needs a causal LM")
        try validate(prompt)
        var tokens = prompt, generated: [Int] = []
        while generated.count < count, !isCancelled() {
            if tokens.count >= contextLength { break }
            let hidden = try lastHidden(tokens, observe: nil)
            let last = Matrix<Float>(rows: 1, cols: hidden.cols, storage: Array(hidden.storage[((hidden.rows - 1) * hidden.cols)...]))
            let logits = try head(last).storage
            var best = 0
            for (index, value) in logits.enumerated() where value > logits[best] { best = index }
            generated.append(best)
            tokens.append(best)
            if stop.contains(best) { break }
        }
        return generated
    }
}
