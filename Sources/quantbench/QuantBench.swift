import ArgumentParser

/// The `quantbench` command line: layer-wise post-training quantization of transformer models.
@main
struct QuantBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantbench",
        abstract: "A workbench for layer-wise post-training quantization (RTN, GPTQ, QuantEase, outlier-aware QuantEase).",
        version: "0.1.0",
        subcommands: [BenchCommand.self]
    )
}
