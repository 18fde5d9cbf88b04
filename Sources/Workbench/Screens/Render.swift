import TUIKit
import Engine

extension App {
    /// Draws one frame: the main screen with the open overlay on top, or the "too small" screen. With
    /// the ASCII glyph set, text from elsewhere (model names, engine messages) is made ASCII too.
    public static func render(_ state: AppState, run: RunState, size: Size) -> CellBuffer {
        let palette = state.palette
        var buffer = CellBuffer(size: size, fill: .blank(palette.main))
        if MainLayout.tooSmall(size) {
            TooSmallScreen(size: size).draw(on: &buffer, palette: palette)
            return buffer
        }
        MainScreen(state: state, run: run).draw(on: &buffer)
        switch state.screen {
        case .main: break
        case .help: HelpOverlay(keymap: state.keymap, scroll: state.helpScroll).draw(on: &buffer, palette: palette)
        case .methodPanel: MethodPanel(state: state, run: run).draw(on: &buffer, palette: palette)
        case .recipes: RecipePicker(recipes: state.recipes, selected: state.recipe).draw(on: &buffer, palette: palette)
        case .scope: ScopePicker(state: state, run: run).draw(on: &buffer, palette: palette)
        case .sample: SamplePanel(state: state, run: run).draw(on: &buffer, palette: palette)
        case .qdec: QDECPanel(state: state, run: run).draw(on: &buffer, palette: palette)
        case .allocation: AllocationPanel(state: state, run: run).draw(on: &buffer, palette: palette)
        case .filter: FilterPrompt(state: state, run: run).draw(on: &buffer, palette: palette)
        case .export: ExportPicker(view: state.export).draw(on: &buffer, palette: palette)
        }
        if !palette.glyphs.unicode { buffer.replaceNonASCII() }
        return buffer
    }
}

/// Shown below 80×24 instead of a squeezed layout (btop does the same).
struct TooSmallScreen {
    var size: Size

    func draw(on buffer: inout CellBuffer, palette: Palette) {
        let lines = ["Terminal too small", "\(size.width)\(palette.glyphs.times)\(size.height), needs \(MainLayout.minimum.width)\(palette.glyphs.times)\(MainLayout.minimum.height)", "q quits"]
        let top = max(0, (size.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let w = CharWidth.of(line)
            buffer.put(line, at: Point(x: max(0, (size.width - w) / 2), y: top + i),
                       style: i == 0 ? palette.style(.warningFg).with(.bold) : palette.main, maxWidth: size.width)
        }
    }
}

/// A cleared, bordered rectangle over the main screen; returns its inner area.
func overlay(_ size: Size, in screen: Rect, title: String, on buffer: inout CellBuffer, palette: Palette) -> Rect {
    let rect = screen.centered(size)
    buffer.fill(rect, with: .blank(palette.main))
    return Box(title: title).draw(in: rect, on: &buffer, palette: palette)
}
