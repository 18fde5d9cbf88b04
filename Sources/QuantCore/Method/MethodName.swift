/// The solvers a `LayerMethod` can name, spelled as recipes, flags and layer files spell them.
public enum MethodName: String, Sendable, Hashable, CaseIterable, Codable {
    case rtn, gptq, quantease
    case quanteaseOutlier = "quantease-outlier"
    case aqlm

    /// The next name in panel order (wrapping).
    public var next: MethodName { Self.allCases[(index + 1) % Self.allCases.count] }
    /// The previous name in panel order (wrapping).
    public var previous: MethodName { Self.allCases[(index + Self.allCases.count - 1) % Self.allCases.count] }

    /// Whether the solver improves an iterate step by step (CD sweeps, AQLM epochs), so its reports form a
    /// convergence curve; RTN and GPTQ solve in one pass (GPTQ reports blocks of columns).
    public var isIterative: Bool { self == .quantease || self == .quanteaseOutlier || self == .aqlm }

    private var index: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    /// `rtn, gptq, quantease, quantease-outlier or aqlm`.
    public static var list: String {
        allCases.dropLast().map(\.rawValue).joined(separator: ", ") + " or " + (allCases.last?.rawValue ?? "")
    }
}
