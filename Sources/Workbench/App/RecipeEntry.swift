import TUIKit
import QuantCore

/// A recipe the picker offers: its name, its first comment line, and its methods.
public struct RecipeEntry: Sendable, Equatable {
    public var name: String
    public var description: String
    public var method: LayerMethod
    public var compare: [LayerMethod]

    public init(name: String, description: String, method: LayerMethod, compare: [LayerMethod]) {
        self.name = name
        self.description = description
        self.method = method
        self.compare = compare
    }
}
