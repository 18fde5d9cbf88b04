import Engine

extension App {
    /// Opens the bit allocation view, where the run has one.
    static func openAllocation(_ s: inout AppState, run: RunState) {
        guard let info = run.info else { s.message = "no model yet"; return }
        guard run.allocation != nil, s.allocation.plan != nil else { s.message = AllocationUnavailable(model: info.model).description; return }
        s.screen = .allocation
    }

    /// The bit allocation view: the arrows try budgets (the plan is chosen here, on the run's measurements),
    /// ⏎ has the job follow the plan for the layers to come and re-solves the solved layers it changes, Esc closes
    /// (the plan tried is kept for the next opening; the run follows the one applied).
    static func allocation(_ action: Action, _ s: inout AppState, _ effects: inout [AppEffect], run: RunState) {
        switch action {
        case .valueUp, .valueDown: s.message = s.allocation.stepBudget(action == .valueUp ? 1 : -1)
        case .top, .bottom: s.message = s.allocation.stepBudget(action == .top ? Int.min / 2 : Int.max / 2)
        case .apply: applyAllocation(&s, &effects, run: run)
        case .close: s.screen = .main
        case .quit: quit(&s, &effects)
        default: break
        }
    }

    private static func applyAllocation(_ s: inout AppState, _ effects: inout [AppEffect], run: RunState) {
        guard let plan = s.allocation.plan else { return }
        if let op = s.pending { s.message = "busy: " + op.text(ellipsis: s.palette.glyphs.ellipsis) + " (x on the main screen cancels it)"; return }
        let budget = AllocationView.budgetText(plan.budget)
        let changed = s.allocation.offPlan(run)
        if run.allocation?.budget == plan.budget && changed.isEmpty {
            s.message = "the run follows the \(budget) bits/w plan already"
            return
        }
        effects.append(.engine(.allocate(budget: plan.budget)))
        let toCome = AllocationView.layersToCome(run)
        guard !changed.isEmpty else {
            s.message = "the run follows the \(budget) bits/w plan: no solved layer changes, \(toCome) to come"
            return
        }
        let requests = changed.map { LayerRequest(layer: run.layers[$0.row].info.name, method: $0.method, replacesMain: true) }
        for r in requests { effects.append(.engine(.resolve(layer: r.layer, method: r.method))) }
        s.pending = PendingOperation(kind: .following(budget: plan.budget), scope: .layer, methods: requests.map(\.method).reduce(into: []) { if !$0.contains($1) { $0.append($1) } },
                                     requests: requests, skipped: 0)
        s.message = "the run follows the \(budget) bits/w plan: \(changed.count) solved layer\(changed.count == 1 ? "" : "s") solved again, \(toCome) to come"
    }
}
