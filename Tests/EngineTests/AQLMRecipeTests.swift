import Foundation
import ModelKit
import QuantCore
import Testing
@testable import Engine

@Suite struct AQLMRecipeTests {
    @Test func readsEveryAQLMSettingAndWritesItBack() throws {
        let r = try RecipeParser.parse("""
        method: {name: aqlm, num_codebooks: 1, nbits_per_codebook: 8, in_group_size: 16, beam_size: 4, max_epochs: 7,
                 steps_per_epoch: 30, relative_tolerance: 0.02, lr: 0.001, codebook_update: least-squares, init_max_iter: 9,
                 reseed_dead_codes: true, seed: 5}
        compare: [{name: gptq, bits: 2}]
        """)
        let expected = try AQLMOptions(codebooks: 1, bits: 8, groupSize: 16, beamSize: 4, maxEpochs: 7, stepsPerEpoch: 30,
                                       relativeTolerance: 0.02, learningRate: 0.001, codebookUpdate: .leastSquares,
                                       initMaxIterations: 9, reseedDeadCodes: true, seed: 5)
        #expect(r.method == .aqlm(expected))
        #expect(r.method.summary == "AQLM 1x8g16, beam 4, least-squares codebooks, max epochs 7, steps per epoch 30, relative tolerance 0.02, "
                + "lr 0.001, init max iter 9, reseed dead codes, seed 5")
        var again = try RecipeParser.parse(r.yaml())
        again.text = r.text
        #expect(again == r, "\(r.yaml())")

        let defaults = try RecipeParser.parse("method: {name: aqlm, relative_tolerance: none}\n")
        #expect(defaults.method == .aqlm(try AQLMOptions(relativeTolerance: nil)))
        var back = try RecipeParser.parse(defaults.yaml())
        back.text = defaults.text
        #expect(back == defaults)
    }

    @Test(arguments: [
        ("method:\n  name: aqlm\n  bits: 2\n", 3, "method: 'bits' does not apply to aqlm"),
        ("method:\n  name: gptq\n  bits: 3\n  num_codebooks: 2\n", 4, "method: 'num_codebooks' does not apply to gptq"),
        ("method:\n  name: aqlm\n  nbits_per_codebook: 17\n", 3, "method.nbits_per_codebook: 17 is outside 1…16"),
        ("method:\n  name: aqlm\n  codebook_update: sgd\n", 3, "method.codebook_update: 'sgd' is not adam or least-squares"),
        ("method:\n  name: aqlm\n  relative_tolerance: 1.5\n", 3, "method.relative_tolerance: 1.5 is outside 0…1"),
        ("method:\n  name: aqlm\n  relative_tolerance: 1\n", 3, "method.relative_tolerance = 1.0 is invalid: expected in [0, 1)"),
        ("method:\n  name: aqlm\n  nbits_per_codebook: 16\n  codebook_update: least-squares\n", 4, "method.codebook_update"),
        ("method:\n  name: aqlm\n  lr: fast\n", 3, "method.lr: 'fast' is not a number"),
        ("method:\n  name: aqlm\n  beam_size: 0\n", 3, "method.beam_size: 0 is outside"),
    ])
    func rejectsBadAQLMSettingsWithLineAndReason(_ text: String, _ line: Int, _ reason: String) {
        expectRecipeError(text, line: line, reason: reason)
    }

    @Test func codebookLayersRoundTripThroughSafetensors() throws {
        let p = SyntheticProblem(rows: 12, cols: 32, tokens: 128, seed: 3).make()
        for options in [try AQLMOptions(codebooks: 2, bits: 4, groupSize: 8, maxEpochs: 2, stepsPerEpoch: 3, initMaxIterations: 5),
                        try AQLMOptions(codebooks: 1, bits: 9, groupSize: 4, maxEpochs: 1, stepsPerEpoch: 2, initMaxIterations: 2)] {
            let layer = try AQLM.solve(p, options: options).layer
            var writer = SafetensorsWriter(metadata: ["bits": "\(layer.bits)"])
            try QuantizedLayerTensors.add(layer, to: &writer)
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("aqlm-\(options.scheme)-\(UUID().uuidString).safetensors")
            defer { try? FileManager.default.removeItem(at: url) }
            try writer.write(to: url)
            let file = try SafetensorsFile(url: url)
            #expect(try file.info(QuantizedLayerTensors.codes).dtype == (options.bits <= 8 ? .u8 : .i32))
            let back = try QuantizedLayerTensors.read(file)
            #expect(back == layer)
            #expect(back.bitsPerWeight == layer.bitsPerWeight)
            #expect(try file.floats(QuantizedLayerTensors.dequantized) == layer.dequantized().storage)
        }
    }
}
