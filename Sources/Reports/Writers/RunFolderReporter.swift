import Engine
import Foundation

/// The reports of a run folder as Engine's headless runs ask for them: `run.json` during the run, every
/// chosen format at the end.
public struct RunFolderReporter: RunReporting {
    public let formats: [ReportFormat]
    public let toolVersion: String

    public init(formats: [ReportFormat], toolVersion: String) {
        self.formats = formats
        self.toolVersion = toolVersion
    }

    @discardableResult
    public func write(_ run: RunRecord, to folder: URL, final: Bool) throws -> [URL] {
        var report = try RunReport(state: run.state, recipe: run.recipe.text, recipeName: run.recipe.name, toolVersion: toolVersion,
                               environment: .current(), started: run.started, finished: run.finished, parts: run.parts)
        report.compensation = run.compensation
        report.allocation = run.state.allocation
        if let plan = run.state.allocation, let given = plan.differingBudget(of: run.recipe) {
            report.warnings.append("the plan follows a budget of \(plan.budget) bits/weight, chosen after the run began; the recipe below says \(given)")
        }
        let tuned = run.state.tuning.finished.keys.sorted().compactMap { run.state.tuning.finished[$0] }
        report.tuning = tuned.isEmpty ? nil : tuned
        return try ReportWriter.write(report, formats: final ? formats : [.json], to: folder)
    }
}
