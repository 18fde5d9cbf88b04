import Foundation
import ModelKit

extension LayerInfo {
    /// Whether the layer's name matches a glob (`*` any run, `?` one character) or, with commas, any of
    /// several, as a recipe's `layers.include` does.
    public func matches(pattern: String) -> Bool {
        pattern.split(separator: ",").contains { LayerSelection.glob($0.trimmingCharacters(in: .whitespaces), matches: name) }
    }
}
