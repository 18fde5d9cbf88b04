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

    /// A short name: `rtn`, `gptq`, `quantease`, `quantease-outlier`, `aqlm`.
    public var name: String {
        switch self {
        case .rtn: return "rtn"
        case .gptq: return "gptq"
        case .quantease: return "quantease"
        case .outlierQuantEase: return "quantease-outlier"
        case .aqlm: return "aqlm"
        }
    }

    /// A one-line summary, e.g. `QuantEase 3-bit g128, 30 sweeps from GPTQ` or `AQLM 2x8g8`.
    public var summary: String {
        if case let .aqlm(o) = self {
            return "AQLM \(o.scheme)" + (o.beamSize == 1 ? "" : ", beam \(o.beamSize)")
                + (o.codebookUpdate == .adam ? "" : ", \(o.codebookUpdate.rawValue) codebooks")
        }
        guard let g = grid else { return name }
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
        case .aqlm: break
        }
        return s
    }
}
