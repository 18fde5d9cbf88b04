/// A method with all its settings: what a recipe, the command line or the workbench hands to a solver.
///
/// ```swift
/// let m = LayerMethod.quantease(try QuantEaseOptions(grid: try GridOptions(bits: 3), sweeps: 30))
/// let result = try m.solve(problem, control: .silent)
/// ```
public enum LayerMethod: Sendable, Equatable, Codable {
    case rtn(GridOptions)
    case gptq(GPTQOptions)
    case quantease(QuantEaseOptions)
    case outlierQuantEase(OutlierQuantEaseOptions)

    /// Solves one layer problem.
    public func solve<S: BLASScalar>(_ problem: LayerProblem<S>, control: SolverControl = .silent) throws -> SolveResult<S> {
        switch self {
        case let .rtn(g): return RTN.solve(problem, grid: g, control: control)
        case let .gptq(o): return try GPTQ.solve(problem, options: o, control: control)
        case let .quantease(o): return try QuantEase.solve(problem, options: o, control: control)
        case let .outlierQuantEase(o): return try OutlierQuantEase.solve(problem, options: o, control: control)
        }
    }

    /// The grid settings.
    public var grid: GridOptions {
        switch self {
        case let .rtn(g): return g
        case let .gptq(o): return o.grid
        case let .quantease(o): return o.grid
        case let .outlierQuantEase(o): return o.grid
        }
    }

    /// A short name: `rtn`, `gptq`, `quantease`, `quantease-outlier`.
    public var name: String {
        switch self {
        case .rtn: return "rtn"
        case .gptq: return "gptq"
        case .quantease: return "quantease"
        case .outlierQuantEase: return "quantease-outlier"
        }
    }

    /// A one-line summary, e.g. `QuantEase 3-bit g128, 30 sweeps from GPTQ`.
    public var summary: String {
        let g = grid
        var s = "\(g.bits)-bit" + (g.groupSize == -1 ? "" : " g\(g.groupSize)") + (g.symmetric ? " sym" : "")
        switch self {
        case .rtn: s = "RTN " + s
        case let .gptq(o): s = "GPTQ " + s + (o.actOrder ? ", act-order" : "")
        case let .quantease(o):
            let start: String
            if case .gptq = o.initialization { start = "GPTQ" } else { start = "W" }
            s = "QuantEase " + s + ", \(o.sweeps) sweeps from \(start)" + (o.actOrder ? ", act-order" : "")
        case let .outlierQuantEase(o):
            s = "QuantEase+outliers " + s + ", \(o.fraction * 100)% \(o.structure.rawValue), \(o.sweeps) sweeps"
        }
        return s
    }
}
