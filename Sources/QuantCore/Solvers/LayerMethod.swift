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

    /// Solves one layer problem.
    public func solve<S: BLASScalar>(_ problem: LayerProblem<S>, control: SolverControl = .silent) throws -> SolveResult<S> {
        switch self {
        case let .rtn(g): return RTN.solve(problem, grid: g, control: control)
        case let .gptq(o): return try GPTQ.solve(problem, options: o, control: control)
        case let .quantease(o): return try QuantEase.solve(problem, options: o, control: control)
        case let .outlierQuantEase(o): return try OutlierQuantEase.solve(problem, options: o, control: control)
        case let .aqlm(o): return try AQLM.solve(problem, options: o, control: control)
        }
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
