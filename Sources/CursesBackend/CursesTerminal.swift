import CNcursesw
import Foundation
import Glibc
import TUIKit

/// The ncurses terminal: the only code that draws on or reads from the real terminal. Open it on the
/// thread that will run the UI loop and close it there too (ncurses is not thread-safe).
///
/// ```swift
/// guard let terminal = CursesTerminal.open() else { return runHeadless() }
/// defer { terminal.close() }
/// let final = workbench.run(on: terminal)
/// ```
public final class CursesTerminal: TerminalBackend {
    /// Colour depth found at start-up.
    public let depth: ColorDepth
    /// Whether the locale is UTF-8 (otherwise use `GlyphSet.ascii`: non-ASCII would print as blanks).
    public let unicode: Bool
    private let screen: OpaquePointer
    private var colors: CursesColors
    private var closed = false
    /// The process's own stdout and stderr while they point at the stray-output file.
    private let savedOutput: (Int32, Int32)?

    private init(screen: OpaquePointer, depth: ColorDepth, unicode: Bool, savedOutput: (Int32, Int32)?) {
        self.screen = screen
        self.depth = depth
        self.unicode = unicode
        self.savedOutput = savedOutput
        colors = CursesColors(depth: depth)
    }

    /// Takes over the terminal, or returns nil (and leaves it untouched) when stdin or stdout is not a
    /// terminal or ncurses does not know `TERM`. The locale is set first, so wide characters work.
    /// ncurses draws through its own copy of the terminal's descriptor; with `strayOutput`, the process's
    /// stdout and stderr go to that file until `close()`, so a print from any library cannot tear a frame.
    public static func open(strayOutput: URL? = nil) -> CursesTerminal? {
        setlocale(LC_ALL, "")
        guard isatty(0) != 0, isatty(1) != 0 else { return nil }
        // A terminal that cannot place the cursor (TERM=dumb, unset) cannot show the workbench.
        guard let term = getenv("TERM").map({ String(cString: $0) }), !term.isEmpty, term != "dumb" else { return nil }
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        let unicode = codeset == "UTF-8"
        // newterm, unlike initscr, returns NULL on an unknown terminal instead of exiting.
        guard let output = fdopen(dup(1), "w"), let input = fdopen(dup(0), "r") else { return nil }
        guard let screen = newterm(nil, output, input) else {
            fclose(output)
            fclose(input)
            return nil
        }
        set_term(screen)
        // Cursor addressing (terminfo `cup`) is what a full-screen view needs; without it, give up now.
        let cup = tigetstr("cup")
        guard let cup, Int(bitPattern: cup) != -1 else {
            endwin()
            delscreen(screen)
            return nil
        }
        var saved: (Int32, Int32)? = nil
        if let strayOutput {
            fflush(nil)
            let fd = Glibc.open(strayOutput.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            if fd >= 0 {
                saved = (dup(1), dup(2))
                dup2(fd, 1)
                dup2(fd, 2)
                Glibc.close(fd)
            }
        }
        TerminalGuard.engage()
        cbreak()
        noecho()
        nonl()
        keypad(cnc_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        mousemask(cnc_click_and_wheel(), nil)
        mouseinterval(0)
        var depth = ColorDepth.mono
        if has_colors() {
            start_color()
            use_default_colors()
            depth = ColorDepth.from(colors: Int(cnc_colors()), hasColors: true)
        }
        return CursesTerminal(screen: screen, depth: depth, unicode: unicode, savedOutput: saved)
    }

    public var size: Size {
        var h: Int32 = 0, w: Int32 = 0
        cnc_getmaxyx(cnc_stdscr(), &h, &w)
        return Size(width: Int(w), height: Int(h))
    }

    public var terminationRequested: Bool { TerminalGuard.terminationRequested }

    /// The termination signal (SIGINT, SIGTERM, SIGHUP) that ended the workbench, if one did: the process
    /// should exit with 128 + it, as a shell expects of a program a signal stopped.
    public static var receivedTerminationSignal: Int32? {
        let signal = TerminalGuard.terminationSignalNumber
        return signal == 0 ? nil : signal
    }

    public func nextInput(timeoutMs: Int) -> Input? {
        if TerminalGuard.takeResumed() { return repaint() }
        wtimeout(cnc_stdscr(), Int32(timeoutMs))
        var ch: wint_t = 0
        switch wget_wch(cnc_stdscr(), &ch) {
        case KEY_CODE_YES: return CursesKeys.functionKey(Int32(bitPattern: ch), size: { self.size })
        case OK where ch == 12: return repaint()   // Ctrl-L
        case OK: return CursesKeys.character(ch)
        default: return TerminalGuard.takeResumed() ? repaint() : nil
        }
    }

    /// Makes the next refresh clear the terminal and draw every cell (ncurses' own copy is stale too).
    private func repaint() -> Input {
        clearok(cnc_curscr(), true)
        return .repaint
    }

    public func draw(_ runs: [DrawRun]) {
        let win = cnc_stdscr()
        for run in runs {
            var pair = colors.pair(for: run.style)
            wattr_set(win, colors.attributes(run.style), Int16(clamping: pair), &pair)
            var wide = run.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
            wide.append(0)
            mvwaddwstr(win, Int32(run.y), Int32(run.x), wide)
        }
        wrefresh(win)
    }

    /// Gives the terminal back (idempotent).
    public func close() {
        guard !closed else { return }
        closed = true
        TerminalGuard.restoreIfActive()
        TerminalGuard.release()
        delscreen(screen)
        if let (out, err) = savedOutput {
            fflush(nil)
            dup2(out, 1)
            dup2(err, 2)
            Glibc.close(out)
            Glibc.close(err)
        }
    }
}
