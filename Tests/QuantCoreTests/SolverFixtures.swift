import Foundation
@testable import QuantCore

/// The parity fixtures written by scripts/make-solver-fixtures.py from the numpy reference ports.
struct SolverFixtures {
    struct ArrayEntry: Decodable { let name: String; let dtype: String; let shape: [Int]; let offset: Int }
    struct Case: Decodable {
        let problem: String
        let method: String
        let params: [String: Param]
        let result: String
        let rel_err: Double
        let outliers: String?
        let nnz: Int?
        let rel_err_deployed: Double?
    }
    enum Param: Decodable, CustomStringConvertible {
        case int(Int), bool(Bool), double(Double)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let i = try? c.decode(Int.self) { self = .int(i) }
            else { self = .double(try c.decode(Double.self)) }
        }
        var int: Int { if case let .int(i) = self { return i }; return 0 }
        var bool: Bool { if case let .bool(b) = self { return b }; return false }
        var double: Double {
            switch self { case let .double(d): return d; case let .int(i): return Double(i); case .bool: return 0 }
        }
        var description: String {
            switch self { case let .int(i): return "\(i)"; case let .bool(b): return "\(b)"; case let .double(d): return "\(d)" }
        }
    }
    private struct Manifest: Decodable { let arrays: [ArrayEntry]; let cases: [Case] }

    let cases: [Case]
    private let arrays: [String: ArrayEntry]
    private let data: Data

    static let shared: SolverFixtures = {
        let dir = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/solvers")
        let manifest = try! JSONDecoder().decode(Manifest.self, from: Data(contentsOf: dir.appendingPathComponent("manifest.json")))
        let data = try! Data(contentsOf: dir.appendingPathComponent("data.bin"))
        return SolverFixtures(cases: manifest.cases, arrays: Dictionary(uniqueKeysWithValues: manifest.arrays.map { ($0.name, $0) }), data: data)
    }()

    /// The named array as a Double matrix (1-D arrays become one row).
    func matrix(_ name: String) -> Matrix<Double> {
        let e = arrays[name]!
        let count = e.shape.reduce(1, *)
        var out = [Double](repeating: 0, count: count)
        data.withUnsafeBytes { raw in
            let base = raw.baseAddress! + e.offset
            for i in 0..<count {
                switch e.dtype {
                case "float16": out[i] = Double(base.loadUnaligned(fromByteOffset: 2 * i, as: Float16.self))
                case "float32": out[i] = Double(base.loadUnaligned(fromByteOffset: 4 * i, as: Float.self))
                default: out[i] = base.loadUnaligned(fromByteOffset: 8 * i, as: Double.self)
                }
            }
        }
        return Matrix(rows: e.shape.count == 2 ? e.shape[0] : 1, cols: e.shape.last!, storage: out)
    }

    func problem(_ label: String) -> LayerProblem<Double> {
        try! LayerProblem(name: label, weights: matrix("\(label)/W"), hessian: matrix("\(label)/S"))
    }

    func cases(_ method: String) -> [Case] { cases.filter { $0.method == method } }
}

/// Entries whose integer code differs between a solver's layer and a reference result: the reference value
/// is more than half a grid step from the layer's value.
func differingCodes(_ layer: QuantizedLayer<Double>, reference: Matrix<Double>) -> Int {
    let ours = layer.gridWeights()
    var n = 0
    for r in 0..<layer.rows {
        for c in 0..<layer.cols {
            let scale = layer.grid.scales[Int(layer.grid.groupIndex[c]) * layer.rows + r]
            if abs(ours[r, c] - reference[r, c]) > 0.5 * scale { n += 1 }
        }
    }
    return n
}
