import ArgumentParser

/// The `quantbench` command line: layer-wise post-training quantization of transformer models.
@main
struct QuantBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantbench",
        abstract: "A workbench for layer-wise post-training quantization (RTN, GPTQ, QuantEase, outlier-aware QuantEase).",
        version: "0.1.0",
        subcommands: [TUICommand.self, InspectCommand.self, QuantizeCommand.self, RunCommand.self, ReportCommand.self, EvalCommand.self, SolveCommand.self, BenchCommand.self],
        defaultSubcommand: TUICommand.self
    )

    static func main() async {
        BLASSetup.ensureFastKernels()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
