/// A method with all its settings: what a recipe, the command line or the workbench hands to a solver.
///
/// ```swift
/// let m = LayerMethod.quantease(try QuantEaseOptions(grid: try GridOptions(bits: 3), sweeps: 30))
/// let result = try m.solve(problem, control: .silent)
/// ```
public enum LayerMethod: Sendable, Equatable {
    case rtn(GridOptions)
    case gptq(GPTQOptions)
    case quantease(QuantEaseOptions)
    case outlierQuantEase(OutlierQuantEaseOptions)
    case aqlm(AQLMOptions)

    /// Solves one layer problem. Throws `QuantError.nonFiniteResult` rather than return a layer holding NaN or
    /// infinity (weights whose magnitude overflows fp32 arithmetic).
    public func solve<S: BLASScalar>(_ problem: LayerProblem<S>, control: SolverControl = .silent) throws -> SolveResult<S> {
        let result: SolveResult<S>
        switch self {
        case let .rtn(g): result = RTN.solve(problem, grid: g, control: control)
        case let .gptq(o): result = try GPTQ.solve(problem, options: o, control: control)
        case let .quantease(o): result = try QuantEase.solve(problem, options: o, control: control)
        case let .outlierQuantEase(o): result = try OutlierQuantEase.solve(problem, options: o, control: control)
        case let .aqlm(o): result = try AQLM.solve(problem, options: o, control: control)
        }
        guard result.layer.dequantized().allFinite else {
            let largest = problem.weights.storage.reduce(0.0) { max($0, abs(Double($1))) }
            throw QuantError.nonFiniteResult(method: name, maxAbsWeight: largest)
        }
        return result
    }

    /// The grid settings; nil for a codebook method (AQLM).
    public var grid: GridOptions? {
        switch self {
        case let .rtn(g): return g
        case let .gptq(o): return o.grid
        case let .quantease(o): return o.grid
        case let .outlierQuantEase(o): return o.grid
        case .aqlm: return nil
        }
    }

    /// Nominal bits per weight: the grid's bit width, or `M·B/g` rounded for AQLM.
    public var nominalBits: Int {
        if case let .aqlm(o) = self { return Int((Double(o.codebooks * o.bits) / Double(o.groupSize)).rounded()) }
        return grid?.bits ?? 0
    }

    /// Storage cost per weight of a `rows × columns` layer (outliers not counted).
    public func effectiveBits(rows: Int, columns: Int) -> Double {
        switch self {
        case let .aqlm(o): return o.bitsPerWeight(rows: rows, columns: columns)
        default: return grid?.effectiveBits(columns: columns) ?? 0
        }
    }

    /// Which solver, as `MethodSchema` names it.
    public var methodName: MethodName {
        switch self {
        case .rtn: return .rtn
        case .gptq: return .gptq
        case .quantease: return .quantease
        case .outlierQuantEase: return .quanteaseOutlier
        case .aqlm: return .aqlm
        }
    }

    /// A short name: `rtn`, `gptq`, `quantease`, `quantease-outlier`, `aqlm`.
    public var name: String { methodName.rawValue }
}
