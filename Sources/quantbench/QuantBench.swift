import ArgumentParser
import Foundation
import ModelKit
import QuantCore

/// The `quantbench` command line: layer-wise post-training quantization of transformer models.
@main
struct QuantBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantbench",
        abstract: "A workbench for layer-wise post-training quantization (RTN, GPTQ, QuantEase, outlier-aware QuantEase, AQLM) and QDEC error compensation.",
        version: "0.1.0",
        subcommands: [TUICommand.self, InspectCommand.self, QuantizeCommand.self, RunCommand.self, ReportCommand.self, ExportCommand.self, EvalCommand.self, GenerateCommand.self, SolveCommand.self, BenchCommand.self],
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
            do {
                if var asyncCommand = command as? AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
            } catch let error where !Self.isArgumentError(error) {
                // A fault while running, not a usage error: its words, without the usage text.
                FileHandle.standardError.write(Data("Error: \(ErrorWords.describe(error))\n".utf8))
                Foundation.exit(1)
            }
        } catch {
            exit(withError: error)
        }
    }

    /// Errors the argument parser prints itself (with the usage where it helps): its own types, thrown while
    /// parsing or by a command's `validate`/`--help` handling (some of which is internal to it), and
    /// `ValidationError`/`ExitCode`/`CleanExit`.
    private static func isArgumentError(_ error: Error) -> Bool {
        String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }
}
