import CNcursesw
import TUIKit

/// Decodes what `wget_wch` returned into an `Input`.
enum CursesKeys {
    /// A function key (`KEY_CODE_YES`).
    static func functionKey(_ code: Int32, size: () -> Size) -> Input? {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_ENTER: return .key(.enter)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_BTAB: return .key(.tab)
        case KEY_RESIZE: return .resize(size())
        case KEY_MOUSE: return mouse()
        case cnc_key_f(1)...cnc_key_f(12): return .key(.function(Int(code - cnc_key_f(0))))
        default: return nil
        }
    }

    /// A character (`OK`).
    static func character(_ ch: wint_t) -> Input? {
        switch ch {
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 9: return .key(.tab)
        case 8, 127: return .key(.backspace)
        case 1...26: return .key(.ctrl(Character(Unicode.Scalar(UInt8(96 + ch)))))
        default:
            guard let scalar = Unicode.Scalar(ch) else { return nil }
            return .key(.char(Character(scalar)))
        }
    }

    private static func mouse() -> Input? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let at = Point(x: Int(event.x), y: Int(event.y))
        if event.bstate & cnc_wheel_up() != 0 { return .wheel(up: true, at: at) }
        if event.bstate & cnc_wheel_down() != 0 { return .wheel(up: false, at: at) }
        if event.bstate & (cnc_button1_pressed() | cnc_button1_clicked()) != 0 { return .click(at) }
        return nil
    }
}
