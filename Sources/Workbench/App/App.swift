import TUIKit
import Engine
import QuantCore

/// The workbench as a pure state machine: `reduce` turns a key, click, wheel step or resize into a new
/// `AppState` and the effects to run (engine commands, export, quit); `render` draws a frame. No
/// terminal is involved, so every key and screen is testable in memory.
///
/// ```swift
/// var (state, effects) = App.reduce(state, .key(.char("+")), run: run)
/// let frame = App.render(state, run: run, size: state.size)
/// ```
public enum App {
    public static func reduce(_ state: AppState, _ input: Input, run: RunState) -> (AppState, [AppEffect]) {
        var s = state
        var effects: [AppEffect] = []
        switch input {
        case let .resize(size):
            s.size = size
            keepSelectionVisible(&s, run: run)
        case .repaint:
            break
        case let .click(p):
            guard s.screen == .main, !MainLayout.tooSmall(s.size) else { break }
            click(&s, at: p, run: run)
        case let .wheel(up, _):
            switch s.screen {
            case .main: moveInTable(&s, by: up ? -3 : 3, run: run)
            case .help: s.helpScroll = max(0, s.helpScroll + (up ? -3 : 3))
            case .recipes: s.recipe = clamp(s.recipe + (up ? -1 : 1), s.recipes.count)
            case .methodPanel: s.field = clamp(s.field + (up ? -1 : 1), MethodField.fields(for: s.method).count)
            case .scope: s.scopeChoice = clamp(s.scopeChoice + (up ? -1 : 1), ScopePicker.choices)
            case .export: s.export.choice = clamp(s.export.choice + (up ? -1 : 1), s.export.targets.count)
            case .allocation: s.message = s.allocation.stepBudget(up ? 1 : -1)
            case .sample, .qdec, .filter: break
            }
        case let .key(key):
            guard let action = s.keymap.action(for: key, on: s.screen) else {
                // The scope overlay takes unbound characters as the glob being typed, the sample panel as the prompt.
                if case let .char(c) = key {
                    if s.screen == .scope {
                        s.scopePattern.append(c)
                        s.scopeChoice = ScopePicker.patternChoice
                    } else if s.screen == .sample {
                        s.sample.prompt.append(c)
                    } else if s.screen == .filter {
                        s.table.draft.append(c)
                    }
                }
                break
            }
            s.message = nil
            if action != .quit { s.quitAsked = false }
            switch s.screen {
            case .main: main(action, &s, &effects, run: run)
            case .methodPanel: panel(action, &s, &effects, run: run)
            case .recipes: recipes(action, &s, &effects)
            case .scope: scope(action, &s, &effects, run: run)
            case .sample: sample(action, &s, &effects)
            case .qdec: qdec(action, &s, &effects, run: run)
            case .allocation: allocation(action, &s, &effects, run: run)
            case .filter: filterPrompt(action, &s, &effects, run: run)
            case .export: export(action, &s, &effects)
            case .help: help(action, &s, &effects)
            }
        }
        return (s, effects)
    }

    /// Lets the app see an engine event before the run state takes it (the curve archive needs the old
    /// sweeps); the user's pending operation follows its requests and, when the last ends, the status bar
    /// tells the result.
    public static func observe(_ state: inout AppState, _ event: EngineEvent, before run: RunState) {
        state.archive.observe(event, before: run)
        state.sample.observe(event, run: run)
        if case let .allocated(plan) = event { state.allocation.observe(plan) }
        if state.pending != nil { follow(&state, event, before: run) }
        if state.followsActive, case let .layerStarted(name, _) = event, let i = run.layers.firstIndex(where: { $0.info.name == name }) {
            if state.selected != i { state.chart.cursor = nil }
            state.selected = i
            keepSelectionVisible(&state, run: run)
        }
    }

    private static func follow(_ state: inout AppState, _ event: EngineEvent, before run: RunState) {
        guard var op = state.pending else { return }
        let single = op.total == 1
        switch event {
        case let .layerFinished(s) where op.waiting.contains { $0.layer == s.name && $0.replacesMain }:
            state.unexportedResults = true
            let before = run.rows[s.name]?.summary
            if single { state.message = "solved \(s.name): rel_err " + Text.scientific(s.relErr) + (before.map { " (was " + Text.scientific($0.relErr) + ")" } ?? "") }
        case let .comparisonFinished(s) where op.waiting.contains { $0.layer == s.name && !$0.replacesMain }:
            state.unexportedResults = true
            if single { state.message = "compared \(s.name): \(s.method.summary) rel_err " + Text.scientific(s.relErr) }
        case let .solveCancelled(c) where op.waiting.contains { $0.layer == c.layer }:
            op.cancelled += 1
            if single { state.message = "\(c.layer): cancelled after \(c.step) of \(c.totalSteps)" }
        case let .unavailable(layer, reason) where op.waiting.contains { $0.layer == layer }:
            op.unavailable += 1
            state.message = "\(layer) cannot be solved yet: \(reason)"
        case let .requestEnded(request):
            guard op.end(request) else { return }
            if op.waiting.isEmpty {
                if !single { state.message = op.summary }
                state.pending = nil
                return
            }
        default: return
        }
        state.pending = op
    }

    static func layout(_ s: AppState, _ run: RunState) -> MainLayout { MainLayout(size: s.size, state: s, run: run) }

    private static func main(_ action: Action, _ s: inout AppState, _ effects: inout [AppEffect], run: RunState) {
        let page = max(1, layout(s, run).tableRows.height - 1)
        switch action {
        case .up where s.focus == .heatmap, .down where s.focus == .heatmap:
            moveCursor(&s, rows: action == .up ? -1 : 1, columns: 0, run: run)
        case .cellLeft, .cellRight:
            guard s.focus == .heatmap else { s.message = "Tab focuses the heatmap; the arrows then move its cursor"; return }
            moveCursor(&s, rows: 0, columns: action == .cellLeft ? -1 : 1, run: run)
        case .up: moveInTable(&s, by: -1, run: run)
        case .down: moveInTable(&s, by: 1, run: run)
        case .pageUp: moveInTable(&s, by: -page, run: run)
        case .pageDown: moveInTable(&s, by: page, run: run)
        case .top: moveInTable(&s, by: -run.layers.count, run: run)
        case .bottom: moveInTable(&s, by: run.layers.count, run: run)
        case .sortNext, .sortReverse, .worstFirst: sort(action, &s, run: run)
        case .filter: s.screen = .filter; s.table.draft = s.table.filter
        case .focus: s.focus = s.focus == .table ? .heatmap : .table
        case .close: s.focus = .table
        case .help: s.screen = .help; s.helpScroll = 0
        case .quit: quit(&s, &effects)
        case .solve:
            solve(&s, &effects, run: run, compare: false)
        case .bitsUp, .bitsDown: s.message = s.method.stepBits(action == .bitsUp ? 1 : -1)
        case .outliersUp, .outliersDown: s.message = s.method.stepOutliers(action == .outliersUp ? 1 : -1)
        case .sweepsUp, .sweepsDown: s.message = s.method.stepSweeps(action == .sweepsUp ? 1 : -1)
        case .groupSize: s.message = s.method.cycleGroupSize()
        case .methodPanel: s.screen = .methodPanel; s.field = 0
        case .compare: solve(&s, &effects, run: run, compare: true)
        case .pauseResume:
            let paused = run.paused || s.pauseRequested
            effects.append(.engine(paused ? .resume : .pause))
            s.pauseRequested = !paused
        case .cancel:
            effects.append(.engine(.cancel))
            s.pauseRequested = false
            if let op = s.pending {
                s.message = "cancelled " + op.kind.verb.doing + " " + op.subject
                s.pending = nil
            }
        case .export: openExport(&s)
        case .recipes:
            if s.recipes.isEmpty { s.message = "no recipes found in Experiments/" } else { s.screen = .recipes }
        case .chartMarker: s.marker = s.palette.glyphs.unicode ? s.marker.next : .ascii
        case .theme: s.selectTheme(s.themeIndex + 1); s.message = "theme " + s.themes[s.themeIndex].name
        case .heatmapView: s.heatmapView = s.heatmapView == .blocks ? .layer : .blocks
        case .chartFit, .cursorLeft, .cursorRight: chart(action, &s, run: run)
        case .layerScope:
            s.screen = .scope
            s.scopeChoice = ScopePicker.choice(of: s.scope)
            if case let .pattern(p) = s.scope { s.scopePattern = p }
        case .sample:
            guard let info = run.info else { s.message = "no model yet"; return }
            guard info.causalLM else { s.message = SampleUnavailable.notCausal(info.model).reason; return }
            s.screen = .sample
            if !s.sample.prompt.isEmpty { effects.append(.engine(.sample(s.sample.follow()))) }
        case .qdec:
            guard run.info != nil else { s.message = "no model yet"; return }
            s.screen = .qdec
        case .allocation: openAllocation(&s, run: run)
        case .valueUp, .valueDown, .apply, .erase, .clearText, .addComparison, .removeComparison: break
        }
    }

    private static func panel(_ action: Action, _ s: inout AppState, _ effects: inout [AppEffect], run: RunState) {
        let fields = MethodField.fields(for: s.method)
        switch action {
        case .up: s.field = clamp(s.field - 1, fields.count)
        case .down: s.field = clamp(s.field + 1, fields.count)
        case .top, .pageUp: s.field = 0
        case .bottom, .pageDown: s.field = fields.count - 1
        case .valueUp, .valueDown:
            s.message = fields[clamp(s.field, fields.count)].adjust(&s.method, by: action == .valueUp ? 1 : -1)
            s.field = clamp(s.field, MethodField.fields(for: s.method).count)
        case .close: s.screen = .main
        case .quit: quit(&s, &effects)
        case .solve:
            s.screen = .main
            solve(&s, &effects, run: run, compare: false)
        case .addComparison:
            s.message = s.method.addComparison()
            s.field = MethodField.fields(for: s.method).firstIndex(of: .comparison(s.method.comparisons.count - 1)) ?? s.field
        case .removeComparison:
            guard let i = fields[clamp(s.field, fields.count)].comparisonIndex else { s.message = "move to a comparison to remove it"; break }
            let kind = s.method.comparisons.remove(at: i).kind
            s.message = "no longer comparing with \(kind.rawValue)" + (s.method.comparisons.isEmpty ? " (a adds one)" : "")
            s.field = clamp(s.field, MethodField.fields(for: s.method).count)
        default: break
        }
    }

    private static func recipes(_ action: Action, _ s: inout AppState, _ effects: inout [AppEffect]) {
        switch action {
        case .up: s.recipe = clamp(s.recipe - 1, s.recipes.count)
        case .down: s.recipe = clamp(s.recipe + 1, s.recipes.count)
        case .top, .pageUp: s.recipe = 0
        case .bottom, .pageDown: s.recipe = max(0, s.recipes.count - 1)
        case .close: s.screen = .main
        case .quit: quit(&s, &effects)
        case .solve:
            guard s.recipes.indices.contains(s.recipe) else { s.screen = .main; break }
            let r = s.recipes[s.recipe]
            s.method = MethodDraft(r.method, comparedWith: r.compare)
            s.recipeName = r.name
            s.screen = .main
            s.message = "recipe \(r.name): \(r.method.summary)"
        default: break
        }
    }

    private static func scope(_ action: Action, _ s: inout AppState, _ effects: inout [AppEffect], run: RunState) {
        switch action {
        case .up: s.scopeChoice = clamp(s.scopeChoice - 1, ScopePicker.choices)
        case .down: s.scopeChoice = clamp(s.scopeChoice + 1, ScopePicker.choices)
        case .erase:
            s.scopePattern = String(s.scopePattern.dropLast())
            s.scopeChoice = ScopePicker.patternChoice
        case .close: s.screen = .main
        case .quit: quit(&s, &effects)
        case .apply:
            guard let scope = ScopePicker.scope(choice: s.scopeChoice, pattern: s.scopePattern, run: run, cursor: s.selected) else {
                s.message = s.scopeChoice == ScopePicker.patternChoice ? "type a glob first, e.g. *.attention.*" : "no layer yet"
                return
            }
            s.scope = scope
            s.screen = .main
            let n = scope.rows(of: run, cursor: s.selected).count
            s.message = scope == .layer ? "solve and compare act on the selected layer"
                : "solve and compare act on \(scope.label): \(n) layer" + (n == 1 ? "" : "s")
        default: break
        }
    }

    /// The sample panel: ⏎ has the job follow the typed prompt, closing stops it.
    private static func sample(_ action: Action, _ s: inout AppState, _ effects: inout [AppEffect]) {
        switch action {
        case .apply:
            guard !s.sample.prompt.isEmpty else { s.message = "type a prompt first"; return }
            effects.append(.engine(.sample(s.sample.follow())))
        case .valueUp, .valueDown: s.sample.stepTokens(action == .valueUp ? 1 : -1)
        case .erase: s.sample.prompt = String(s.sample.prompt.dropLast())
        case .clearText: s.sample.prompt = ""
        case .close:
            s.screen = .main
            s.sample.stop()
            effects.append(.engine(.stopSampling))
        case .quit: quit(&s, &effects)
        default: break
        }
    }

    private static func help(_ action: Action, _ s: inout AppState, _ effects: inout [AppEffect]) {
        switch action {
        case .up: s.helpScroll = max(0, s.helpScroll - 1)
        case .down: s.helpScroll += 1
        case .pageUp: s.helpScroll = max(0, s.helpScroll - 10)
        case .pageDown: s.helpScroll += 10
        case .top: s.helpScroll = 0
        case .close, .help: s.screen = .main
        case .quit: quit(&s, &effects)
        default: break
        }
    }

    /// Solves (or compares) the layers of the scope that have been calibrated (their Σ comes with their
    /// block), skipping the others and saying how many; one operation at a time.
    private static func solve(_ s: inout AppState, _ effects: inout [AppEffect], run: RunState, compare: Bool) {
        if let op = s.pending { s.message = "busy: " + op.text(ellipsis: s.palette.glyphs.ellipsis) + " (x cancels it)"; return }
        let rows = s.scope.rows(of: run, cursor: s.selected)
        guard !rows.isEmpty else { s.message = s.scope == .layer ? "no layer to solve yet" : "no layer matches \(s.scope.label)"; return }
        let methods: [LayerMethod]
        do { methods = compare ? try s.method.comparisonMethods() : [try s.method.build()] } catch { s.message = "cannot solve: \(error)"; return }
        guard !methods.isEmpty else { s.message = "no method to compare with: add one in the method panel (m, then a)"; return }
        // One layer may be queued while the run solves it; a wider scope takes the layers the run has reached.
        let targets = s.scope == .layer ? rows.filter { run.layers[$0].phase != .pending } : rows.filter { isCalibrated(run.layers[$0]) }
        guard !targets.isEmpty else {
            let row = run.layers[rows[0]]
            s.message = s.scope == .layer
                ? "\(row.info.name) cannot be solved yet: its Σ comes when the run reaches block \(row.info.block)"
                : "no layer of \(s.scope.label) is solved yet; its Σ comes when the run reaches its block"
            return
        }
        let requests = targets.flatMap { t in methods.map { LayerRequest(layer: run.layers[t].info.name, method: $0, replacesMain: !compare) } }
        for r in requests {
            effects.append(.engine(compare ? .compare(layer: r.layer, method: r.method) : .resolve(layer: r.layer, method: r.method)))
        }
        s.pending = PendingOperation(kind: compare ? .comparing : .solving, scope: s.scope, methods: methods, requests: requests,
                                     skipped: rows.count - targets.count)
    }

    /// Whether a layer's Σ exists: the run reached it (it has a result, or its solve was cancelled or failed).
    static func isCalibrated(_ row: RunState.LayerRow) -> Bool {
        switch row.phase {
        case .done, .cancelled, .failed: return true
        case .solving: return row.summary != nil
        case .pending: return false
        }
    }

    /// Leaves, or, with re-solves and comparisons not exported, asks once first.
    static func quit(_ s: inout AppState, _ effects: inout [AppEffect]) {
        if s.unexportedResults && !s.quitAsked {
            s.quitAsked = true
            s.message = "unexported results: q again to quit, e to export"
            return
        }
        s.quitting = true
        effects.append(.quit)
    }

    static func select(_ s: inout AppState, _ index: Int, run: RunState) {
        let selected = clamp(index, run.layers.count)
        if selected != s.selected { s.chart.cursor = nil }
        s.selected = selected
        s.followsActive = false
        keepSelectionVisible(&s, run: run)
    }

    static func keepSelectionVisible(_ s: inout AppState, run: RunState) {
        let visible = max(1, layout(s, run).tableRows.height)
        let rows = s.tableRows(run)
        s.scroll = Table.offset(keeping: rows.firstIndex(of: s.selected) ?? 0, visible: visible, offset: s.scroll, count: rows.count)
    }

    static func clamp(_ i: Int, _ count: Int) -> Int { count <= 0 ? 0 : min(count - 1, max(0, i)) }
}
