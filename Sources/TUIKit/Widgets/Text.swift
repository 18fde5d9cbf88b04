import Foundation

/// Width-aware string helpers for fixed-width columns.
public enum Text {
    /// `s` cut to `width` columns, ending in `ellipsis` when cut.
    public static func truncate(_ s: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if CharWidth.of(s) <= width { return s }
        let e = CharWidth.of(ellipsis) <= width ? ellipsis : ""
        var out = "", used = 0
        for ch in s {
            let w = CharWidth.of(ch)
            if used + w > width - CharWidth.of(e) { break }
            out.append(ch)
            used += w
        }
        return out + e
    }

    /// `s` padded (or cut) to exactly `width` columns.
    public static func pad(_ s: String, to width: Int, right: Bool = false, ellipsis: String = "…") -> String {
        let t = truncate(s, to: width, ellipsis: ellipsis)
        let gap = String(repeating: " ", count: max(0, width - CharWidth.of(t)))
        return right ? gap + t : t + gap
    }

    /// `s` broken into lines of at most `width` columns, at spaces where it can be (a longer word is cut);
    /// its own line breaks are kept.
    public static func wrap(_ s: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in s.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = "", used = 0
            for word in paragraph.split(separator: " ") {
                var w = String(word), ww = CharWidth.of(w)
                if used > 0 && used + 1 + ww <= width {
                    line += " " + w
                    used += 1 + ww
                    continue
                }
                if used > 0 { lines.append(line) }
                while ww > width {
                    let head = truncate(w, to: width, ellipsis: "")
                    lines.append(head)
                    w = String(w.dropFirst(head.count))
                    ww = CharWidth.of(w)
                }
                (line, used) = (w, ww)
            }
            lines.append(line)
        }
        return lines
    }

    /// A rel_err-style number: `0.0123`, `1.2e-05`.
    public static func scientific(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : "inf" }
        if v == 0 { return "0" }
        return abs(v) >= 1e-3 && abs(v) < 10 ? fixed(v, 4) : String(format: "%.1e", v)
    }

    /// `v` with `digits` decimals.
    public static func fixed(_ v: Double, _ digits: Int) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : "inf" }
        return String(format: "%.\(max(0, digits))f", v)
    }

    /// A duration: `0.4s`, `12s`, `3m05s`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0, seconds < 1e9 else { return "-" }
        if seconds < 10 { return fixed(seconds, 1) + "s" }
        if seconds < 60 { return String(Int(seconds.rounded())) + "s" }
        let s = Int(seconds.rounded())
        return "\(s / 60)m" + (s % 60 < 10 ? "0" : "") + "\(s % 60)s"
    }

    /// A parameter count: `22.7M`, `110k`.
    public static func count(_ n: Int) -> String {
        if n >= 1_000_000_000 { return fixed(Double(n) / 1e9, 1) + "B" }
        if n >= 1_000_000 { return fixed(Double(n) / 1e6, 1) + "M" }
        if n >= 1_000 { return fixed(Double(n) / 1e3, 1) + "k" }
        return String(n)
    }
}
