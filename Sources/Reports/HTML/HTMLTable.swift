/// An HTML table from text cells; every cell is escaped.
struct HTMLTable {
    var header: [String]
    /// Columns aligned right (numbers).
    var numeric: Set<Int> = []
    var cssClass: String? = nil
    var rows: [(cells: [String], cssClass: String?)] = []

    mutating func add(_ cells: [String], cssClass: String? = nil) { rows.append((cells, cssClass)) }

    var html: String {
        func cells(_ tag: String, _ values: [String]) -> String {
            values.enumerated().map { i, v in
                "<\(tag)\(numeric.contains(i) ? " class=\"num\"" : "")>\(XMLText.escape(v))</\(tag)>"
            }.joined()
        }
        var out = "<table\(cssClass.map { " class=\"\(XMLText.escape($0))\"" } ?? "")>\n<thead><tr>\(cells("th", header))</tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr\(row.cssClass.map { " class=\"\(XMLText.escape($0))\"" } ?? "")>\(cells("td", row.cells))</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }
}
