import Foundation
import ModelKit
import QuantCore
@testable import Reports

/// The tiny Llama checkpoint of the ModelKit fixtures with every linear rounded to a grid (RTN), and a scratch
/// folder to export into.
struct ExportFixture {
    static let tinyLlama = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ModelKitTests/Fixtures/models/tiny-llama", isDirectory: true)

    let checkpoint: Checkpoint
    let scratch: URL

    init() throws {
        checkpoint = try Checkpoint(directory: Self.tinyLlama)
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("export-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    /// Every linear (or those `where` picks) on a `bits`-bit grid of `groupSize` columns.
    func layers(bits: Int = 4, groupSize: Int = 32, symmetric: Bool = false,
                where pick: (LinearLayer) -> Bool = { _ in true }) throws -> [String: QuantizedLayer<Float>] {
        var out: [String: QuantizedLayer<Float>] = [:]
        for linear in checkpoint.linearLayers where pick(linear) {
            let w = try checkpoint.loadLinearWeight(linear.name)
            let problem = try LayerProblem(name: linear.name, weights: w, hessian: Matrix<Double>.identity(w.cols))
            out[linear.name] = RTN.solve(problem, grid: try GridOptions(bits: bits, symmetric: symmetric, groupSize: groupSize)).layer
        }
        return out
    }

    func remove() { try? FileManager.default.removeItem(at: scratch) }
}
