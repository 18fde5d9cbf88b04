import TUIKit

/// Everything a key can do.
public enum Action: String, Sendable, CaseIterable {
    case up, down, pageUp, pageDown, top, bottom
    case help, quit, close
    case solve, bitsUp, bitsDown, outliersUp, outliersDown, sweepsDown, sweepsUp, groupSize
    case methodPanel, compare, pauseResume, cancel, export, recipes, chartMarker, theme
    case valueUp, valueDown
    case heatmapView, layerScope, apply, erase
    case sample, clearText, qdec
    case sortNext, sortReverse, worstFirst, filter, focus, cellLeft, cellRight
    case chartFit, cursorLeft, cursorRight
    case addComparison, removeComparison
    case allocation
}

/// Where the user is; bindings are looked up per screen.
public enum Screen: String, Sendable, CaseIterable {
    case main, methodPanel, recipes, scope, sample, qdec, allocation, filter, export, help

    /// The heading of this screen's section in the help overlay.
    public var title: String {
        switch self {
        case .main: return "Workbench"
        case .methodPanel: return "Method panel (m)"
        case .recipes: return "Recipe picker (o)"
        case .scope: return "Layer scope (/): type a glob for the pattern"
        case .sample: return "Sample (d): type to edit the prompt"
        case .qdec: return "QDEC (r): compensation over the layers quantized so far"
        case .allocation: return "Bit allocation (a): a bits/weight budget and the plan for it"
        case .filter: return "Table filter (f): type a glob"
        case .export: return "Export (e): the run folder, or a checkpoint other tools load"
        case .help: return "Help"
        }
    }
}

/// The workbench's key table.
public typealias WorkbenchKeymap = Keymap<Action, Screen>

extension Keymap where Action == Workbench.Action, Screen == Workbench.Screen {
    /// The workbench's keys: arrows and vim keys, `?` help, `q`/Ctrl-C quit.
    public static var standard: WorkbenchKeymap {
        let all = Set(Screen.allCases)
        let lists: Set<Screen> = [.main, .methodPanel, .recipes, .export, .help]
        return Keymap(bindings: [
            Binding([.up, .char("k")], .up, "previous layer / field / recipe", on: lists),
            Binding([.down, .char("j")], .down, "next layer / field / recipe", on: lists),
            Binding([.pageUp, .ctrl("b")], .pageUp, "page up", on: lists),
            Binding([.pageDown, .ctrl("f")], .pageDown, "page down", on: lists),
            Binding([.home], .top, "first row", on: lists),
            Binding([.end, .char("G")], .bottom, "last row", on: lists),
            Binding([.char("?"), .function(1)], .help, "open / close this help", on: [.main, .help], hint: "help"),
            Binding([.char("q"), .ctrl("c")], .quit, "quit (the terminal is restored)", on: [.main], hint: "quit"),
            Binding([.ctrl("c")], .quit, "quit from anywhere", on: all.subtracting([.main])),
            Binding([.escape, .char("q")], .close, "close", on: [.methodPanel, .recipes, .help]),
            Binding([.enter], .solve, "solve the selected layer with the method", on: [.main, .methodPanel], hint: "solve"),
            Binding([.char("+"), .char("=")], .bitsUp, "one more bit", on: [.main], hint: "bits"),
            Binding([.char("-")], .bitsDown, "one bit less", on: [.main]),
            Binding([.char("]")], .outliersUp, "larger outlier budget (outlier-aware QuantEase)", on: [.main], hint: "outliers"),
            Binding([.char("[")], .outliersDown, "smaller outlier budget", on: [.main]),
            Binding([.char("s")], .sweepsDown, "fewer sweeps (by 1 up to 10, then by 5)", on: [.main]),
            Binding([.char("S")], .sweepsUp, "more sweeps (by 1 up to 10, then by 5)", on: [.main]),
            Binding([.char("g")], .groupSize, "next group size (row, 32, 64, 128, 256)", on: [.main]),
            Binding([.char("m")], .methodPanel, "method panel: every parameter", on: [.main], hint: "method"),
            Binding([.char("m")], .close, "close the method panel", on: [.methodPanel]),
            Binding([.right, .char("l"), .char("+")], .valueUp, "next value of the field", on: [.methodPanel]),
            Binding([.left, .char("h"), .char("-")], .valueDown, "previous value of the field", on: [.methodPanel]),
            Binding([.char("a")], .addComparison, "compare with one more method", on: [.methodPanel]),
            Binding([.backspace, .char("d")], .removeComparison, "remove the comparison under the cursor", on: [.methodPanel]),
            Binding([.char("c")], .compare, "compare the selected layer with the comparison methods", on: [.main], hint: "compare"),
            Binding([.char("a")], .allocation, "bit allocation: try a bits/weight budget, have the run follow it", on: [.main], hint: "plan"),
            Binding([.right, .char("l"), .char("+"), .char("=")], .valueUp, "budget \(AllocationView.budgetText(AllocationView.step)) bits/w more", on: [.allocation]),
            Binding([.left, .char("h"), .char("-")], .valueDown, "budget \(AllocationView.budgetText(AllocationView.step)) bits/w less", on: [.allocation]),
            Binding([.home], .top, "the least budget: every layer at its cheapest candidate", on: [.allocation]),
            Binding([.end], .bottom, "the most: every layer at its dearest", on: [.allocation]),
            Binding([.enter], .apply, "apply: the layers to come take the plan, the solved layers it changes are solved again", on: [.allocation]),
            Binding([.escape, .char("q"), .char("a")], .close, "close (the run keeps the plan last applied)", on: [.allocation]),
            Binding([.char("p")], .pauseResume, "pause / resume the solver", on: [.main], hint: "pause"),
            Binding([.char("x")], .cancel, "cancel the run (finished layers are kept)", on: [.main]),
            Binding([.char("e")], .export, "export: the run folder and reports, or a checkpoint (GPTQ, GGUF, …)", on: [.main], hint: "export"),
            Binding([.right, .char("l")], .valueUp, "next outlier handling (checkpoint formats)", on: [.export]),
            Binding([.left, .char("h")], .valueDown, "previous outlier handling", on: [.export]),
            Binding([.enter], .apply, "write the run as it is now (in the background)", on: [.export]),
            Binding([.escape, .char("q")], .close, "close (an export under way goes on)", on: [.export]),
            Binding([.char("o")], .recipes, "open a recipe from Experiments/", on: [.main], hint: "recipe"),
            Binding([.enter], .solve, "load the recipe's method", on: [.recipes]),
            Binding([.char("b")], .chartMarker, "chart glyphs: braille, block, ASCII", on: [.main]),
            Binding([.char("z")], .chartFit, "chart fit: the results of interest / every value", on: [.main], hint: "fit"),
            Binding([.char("<")], .cursorLeft, "chart cursor one sweep back", on: [.main]),
            Binding([.char(">")], .cursorRight, "chart cursor one sweep on (back at the latest it follows)", on: [.main]),
            Binding([.char("t")], .theme, "next theme", on: [.main]),
            Binding([.char("w")], .heatmapView, "heatmap: all layers / the selected layer's error map", on: [.main], hint: "heatmap"),
            Binding([.char("/")], .layerScope, "layers to solve: selected, its block, a glob, all", on: [.main], hint: "scope"),
            Binding([.up], .up, "previous choice", on: [.scope]),
            Binding([.down], .down, "next choice", on: [.scope]),
            Binding([.enter], .apply, "solve and compare act on the chosen layers", on: [.scope]),
            Binding([.backspace], .erase, "delete the last character of the glob", on: [.scope]),
            Binding([.escape], .close, "close, keeping the current scope", on: [.scope]),
            Binding([.char("d")], .sample, "greedy sample: reference vs the model quantized so far", on: [.main]),
            Binding([.enter], .apply, "generate the typed prompt; it follows every solve", on: [.sample]),
            Binding([.right], .valueUp, "\(SampleView.tokenStep) more tokens", on: [.sample]),
            Binding([.left], .valueDown, "\(SampleView.tokenStep) fewer tokens", on: [.sample]),
            Binding([.backspace], .erase, "delete the last character of the prompt", on: [.sample]),
            Binding([.ctrl("u")], .clearText, "clear the prompt", on: [.sample]),
            Binding([.escape], .close, "close (sampling stops)", on: [.sample]),
            Binding([.char("r")], .qdec, "QDEC sweep: model metric against k_chunk per selection", on: [.main]),
            Binding([.enter], .apply, "run the sweep over the layers quantized so far", on: [.qdec]),
            Binding([.char("x")], .cancel, "cancel the running sweep (its points so far stay)", on: [.qdec]),
            Binding([.escape], .close, "close (a running sweep is cancelled; the last result stays)", on: [.qdec]),
            Binding([.char("v")], .sortNext, "sort the table: run order, rel_err, time, bits, name", on: [.main], hint: "sort"),
            Binding([.char("V")], .sortReverse, "reverse the table's order", on: [.main]),
            Binding([.char("W")], .worstFirst, "worst first: the table by rel_err, largest first", on: [.main]),
            Binding([.char("f")], .filter, "filter the table by a glob, as the scope's (*.attention.*)", on: [.main], hint: "filter"),
            Binding([.tab], .focus, "focus the layer table / the heatmap (the arrows move its cell cursor)", on: [.main], hint: "focus"),
            Binding([.left], .cellLeft, "heatmap cursor left (with the heatmap focused)", on: [.main]),
            Binding([.right], .cellRight, "heatmap cursor right (with the heatmap focused)", on: [.main]),
            Binding([.escape], .close, "give the focus back to the table", on: [.main]),
            Binding([.enter], .apply, "show the layers that match", on: [.filter]),
            Binding([.backspace], .erase, "delete the last character of the glob", on: [.filter]),
            Binding([.escape], .close, "clear the filter and close", on: [.filter]),
        ])
    }
}
