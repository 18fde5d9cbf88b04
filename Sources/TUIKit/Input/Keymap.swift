/// One binding: keys, the action, what help says, and where it applies.
public struct Binding<Action: Sendable & Equatable, Screen: Hashable & Sendable>: Sendable, Equatable {
    public var keys: [Key]
    public var action: Action
    public var help: String
    public var screens: Set<Screen>
    /// Shown in the status bar's hints (with this short label).
    public var hint: String?

    public init(_ keys: [Key], _ action: Action, _ help: String, on screens: Set<Screen>, hint: String? = nil) {
        self.keys = keys
        self.action = action
        self.help = help
        self.screens = screens
        self.hint = hint
    }
}

/// Keys as data (lazygit): the app looks actions up here and the help overlay and status-bar hints are
/// generated from the same table, so they cannot go stale.
///
/// ```swift
/// keymap.action(for: .char("j"), on: .main)   // .down
/// ```
public struct Keymap<Action: Sendable & Equatable, Screen: Hashable & Sendable>: Sendable, Equatable {
    public var bindings: [Binding<Action, Screen>]

    public init(bindings: [Binding<Action, Screen>]) { self.bindings = bindings }

    /// The action of `key` on `screen`, if any.
    public func action(for key: Key, on screen: Screen) -> Action? {
        bindings.first { $0.screens.contains(screen) && $0.keys.contains(key) }?.action
    }

    /// The bindings of one screen, in table order.
    public func bindings(on screen: Screen) -> [Binding<Action, Screen>] { bindings.filter { $0.screens.contains(screen) } }
}
