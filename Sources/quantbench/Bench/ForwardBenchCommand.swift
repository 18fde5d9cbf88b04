import ArgumentParser
import Engine
import Foundation
import ModelKit

/// `quantbench bench forward [MODEL]`: the calibration forward's tokens/s against transformers', as JSON.
struct ForwardBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Time the calibration forward (every block, Σ for every linear) against transformers' forward and print JSON.",
        discussion: """
        Seeded random token windows go through every block with Σ = XᵀX accumulated for each linear's input, as
        a quantization run does before solving. The same windows' shape goes through transformers' forward of
        the same file on torch CPU (scripts/make-smollm2-reference.py bench) in the same run, unless --no-reference.
        Build with -c release.
        """
    )

    @Argument(help: "A known model (smollm2, minilm), a folder or a GGUF file.")
    var model = "smollm2"
    @Option(help: "Windows.")
    var windows = 8
    @Option(help: "Tokens per window.")
    var length = 128
    @Option(help: "The Python with torch and transformers (default: the venv of make venv, else python3).")
    var python: String?
    @Option(help: "The transformers side.")
    var referenceScript = "scripts/make-smollm2-reference.py"
    @Flag(inversion: .prefixedNo, help: "Run transformers on the same shape.")
    var reference = true

    func run() throws {
        guard windows > 0, length > 1 else { throw ValidationError("needs at least one window of two tokens") }
        let venv = KnownModel.miniLM.directory.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("venv/bin/python").path
        let python = python ?? (FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3")
        let report = try ForwardBench.run(checkpoint: KnownModel.location(of: model), windows: windows, length: length,
                                          python: reference ? python : nil,
                                          script: reference ? URL(fileURLWithPath: referenceScript) : nil) {
            FileHandle.standardError.write(Data(($0 + "\n").utf8))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        FileHandle.standardOutput.write(try encoder.encode(report) + Data("\n".utf8))
    }
}
