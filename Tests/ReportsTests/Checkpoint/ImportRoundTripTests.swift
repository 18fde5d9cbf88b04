import Foundation
import ModelKit
import QuantCore
import Testing
@testable import Reports

/// Export then read back: quantbench opens the GPTQ, compressed-tensors and AQLM folders it writes and gets Ŵ
/// with the stored scales, i.e. the run's weights to fp16 rounding of the scales (exactly, for AQLM in F32).
@Suite struct ImportRoundTripTests {
    /// Ŵ with its grid scales rounded to fp16, as a loader of the packed tensors computes it.
    func withHalfScales(_ layer: QuantizedLayer<Float>) -> [Float] {
        var grid = layer.grid
        grid.scales = grid.scales.map { Float(Float16($0)) }
        return QuantizedLayer(rows: layer.rows, cols: layer.cols, codes: layer.codes, grid: grid).gridWeights().storage
    }

    @Test(arguments: [(CheckpointFormat.gptq, 4, false), (.gptq, 3, false), (.gptq, 2, true), (.gptq, 8, false),
                      (.compressedTensors, 4, false), (.compressedTensors, 8, true)])
    func readsBackWhatItWrites(_ format: CheckpointFormat, _ bits: Int, _ symmetric: Bool) throws {
        let f = try ExportFixture()
        defer { f.remove() }
        let layers = try f.layers(bits: bits, groupSize: 32, symmetric: symmetric, where: { $0.block == 1 || $0.name == "0.mlp.down_proj" })
        let out = f.scratch.appendingPathComponent("out")
        _ = try CheckpointExport.export(layers: layers, checkpoint: f.checkpoint, out: out, options: ExportOptions(format: format))
        let back = try Checkpoint(directory: out)
        #expect(back.packedWeights?.contains("\(bits)-bit") == true)
        #expect(back.tensors.map(\.name) == f.checkpoint.tensors.map(\.name))
        for linear in f.checkpoint.linearLayers {
            let read = try back.loadLinearWeight(linear.name)
            if let layer = layers[linear.name] {
                #expect(read.storage == withHalfScales(layer), "\(linear.name)")
            } else {
                #expect(read == (try f.checkpoint.loadLinearWeight(linear.name)))
            }
        }
    }

    @Test func readsAnActOrderGPTQLayerThroughItsGroupIndex() throws {
        let f = try ExportFixture()
        defer { f.remove() }
        let linear = f.checkpoint.linearLayers[0]
        let w = try f.checkpoint.loadLinearWeight(linear.name)
        let problem = try LayerProblem(name: linear.name, weights: w, hessian: Matrix<Double>.identity(w.cols))
        var layer = RTN.solve(problem, grid: try GridOptions(bits: 4, groupSize: 32)).layer
        layer.grid.groupIndex = (0..<w.cols).map { Int32(($0 * 7) % w.cols / 32) }
        let out = f.scratch.appendingPathComponent("out")
        _ = try CheckpointExport.export(layers: [linear.name: layer], checkpoint: f.checkpoint, out: out, options: ExportOptions(format: .gptq))
        let config = try String(contentsOf: out.appendingPathComponent("config.json"), encoding: .utf8)
        #expect(config.contains("\"desc_act\" : true"))
        #expect(try Checkpoint(directory: out).loadLinearWeight(linear.name).storage == withHalfScales(layer))
    }
}
