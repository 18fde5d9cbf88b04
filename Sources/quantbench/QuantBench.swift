import ArgumentParser
import QuantCore

/// The `quantbench` command line: layer-wise post-training quantization of transformer models.
@main
struct QuantBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantbench",
        abstract: "A workbench for layer-wise post-training quantization (RTN, GPTQ, QuantEase, outlier-aware QuantEase).",
        version: "0.1.0",
        subcommands: [TUICommand.self, InspectCommand.self, QuantizeCommand.self, RunCommand.self, ReportCommand.self, EvalCommand.self, GenerateCommand.self, SolveCommand.self, BenchCommand.self],
        defaultSubcommand: TUICommand.self
    )

    static func main() async {
        BLASSetup.ensureFastKernels()
        do {
            // The method flags come from the method schema; the commands that quantize collect them
            // through one declared option (see `MethodOptions`).
            let arguments = Array(CommandLine.arguments.dropFirst())
            var command = try parseAsRoot(arguments.contains { $0 == "--method" || $0.hasPrefix("--method=") }
                                          ? MethodFlags.wrapping(arguments, in: MethodOptions.settingOption) : arguments)
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
