import TUIKit
import Engine

/// Everything the workbench shows besides the run itself: where the user is, the method being edited,
/// the selection, the theme, and messages. Changed only by `App.reduce`.
public struct AppState: Sendable, Equatable {
    public var screen: Screen = .main
    public var size: Size
    /// Selected row of the layer table, and its scroll offset.
    public var selected = 0
    public var scroll = 0
    /// The selection follows the layer being solved until the user moves it.
    public var followsActive = true
    public var method: MethodDraft
    /// Selected field of the method panel.
    public var field = 0
    public var recipes: [RecipeEntry]
    public var recipe = 0
    public var helpScroll = 0
    public var marker: ChartMarker
    public var themes: [Theme]
    public var themeIndex = 0
    public private(set) var palette: Palette
    public var keymap: WorkbenchKeymap
    public var archive = CurveArchive()
    /// The convergence chart's fit and cursor.
    public var chart = ChartView()
    /// A one-line message in the status bar (export result, invalid settings…).
    public var message: String? = nil
    /// The recipe whose method is loaded, if any.
    public var recipeName: String? = nil
    public var quitting = false
    /// The re-solve or comparison the job is working on for the user (the status bar shows it).
    public var pending: PendingOperation? = nil
    /// Re-solves and comparisons finished since the last export; quitting asks first.
    public var unexportedResults = false
    /// `q` was pressed once with unexported results: the next `q` quits.
    public var quitAsked = false
    /// The user asked for a pause (the job holds the solver at the next sweep and then reports `paused`).
    public var pauseRequested = false
    /// What the heatmap panel shows (`w` switches).
    public var heatmapView: HeatmapView = .blocks
    /// The layers ⏎ and c act on; the scope overlay's highlighted choice and the glob typed there.
    public var scope: LayerScope = .layer
    public var scopeChoice = 0
    public var scopePattern = ""
    /// The sample panel: prompt, tokens, and the job's latest sample.
    public var sample = SampleView()
    /// The QDEC view: the sweep's settings and the request sent to the job.
    public var qdec = QDECView()
    /// The bit allocation view: the budget tried and its plan.
    public var allocation = AllocationView()
    /// The layer table's order and filter (`v V W f`), the panel the arrows act on (`Tab`), and the
    /// cursor over the selected layer's weighted-error map.
    public var table = TableView()
    public var focus: Focus = .table
    public var mapCursor = MapCell()
    /// The export picker (`e`): its targets, the choice, the export under way.
    public var export = ExportView()
    /// The model-loading step, shown before the run starts.
    public var loading: LoadingProgress? = nil

    /// `themes` must hold at least one theme (the default is used otherwise).
    public init(size: Size, method: MethodDraft = MethodDraft(), recipes: [RecipeEntry] = [], themes: [Theme] = [.defaultDark],
                depth: ColorDepth = .palette256, glyphs: GlyphSet = .unicode, keymap: WorkbenchKeymap = .standard) {
        self.size = size
        self.method = method
        self.recipes = recipes
        self.themes = themes.isEmpty ? [.defaultDark] : themes
        self.marker = glyphs.unicode ? .braille : .ascii
        self.keymap = keymap
        palette = Palette(theme: self.themes[0], depth: depth, glyphs: glyphs)
    }

    /// Switches to theme `index` (wrapping).
    public mutating func selectTheme(_ index: Int) {
        themeIndex = ((index % themes.count) + themes.count) % themes.count
        palette = Palette(theme: themes[themeIndex], depth: palette.depth, glyphs: palette.glyphs)
    }
}

/// What a key asks of the world outside the app.
public enum AppEffect: Sendable, Equatable {
    /// A command for the running job.
    case engine(EngineCommand)
    /// Write the run as it is now to the chosen target (in the background).
    case export(ExportRequest)
    /// Leave the workbench.
    case quit
}
