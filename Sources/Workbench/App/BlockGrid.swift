import Engine

/// The run's layers as blocks × layer kinds (the heatmap's blocks view): which layer each cell holds.
struct BlockGrid {
    /// Layer kinds in the order they first appear, and the number of blocks.
    var kinds: [String] = []
    var blocks: Int
    /// layers[block][kind]: the index into `run.layers`, nil for no such layer.
    var layers: [[Int?]]

    init(run: RunState) {
        for l in run.layers where !kinds.contains(l.info.kind) { kinds.append(l.info.kind) }
        blocks = run.info?.blocks ?? ((run.layers.map(\.info.block).max() ?? -1) + 1)
        layers = [[Int?]](repeating: [Int?](repeating: nil, count: kinds.count), count: max(0, blocks))
        for (i, l) in run.layers.enumerated() {
            guard let k = kinds.firstIndex(of: l.info.kind), l.info.block >= 0, l.info.block < blocks else { continue }
            layers[l.info.block][k] = i
        }
    }

    /// The cell of layer `index`.
    func position(of index: Int) -> (row: Int, column: Int)? {
        for (r, row) in layers.enumerated() { if let c = row.firstIndex(of: index) { return (r, c) } }
        return nil
    }

    /// The next layer from layer `index` in a direction (skipping empty cells); nil at the edge. From a
    /// layer not in the grid, the first layer.
    func step(from index: Int, rows: Int, columns: Int) -> Int? {
        guard var (r, c) = position(of: index) else { return layers.lazy.flatMap { $0 }.compactMap { $0 }.first }
        while true {
            r += rows
            c += columns
            guard r >= 0, r < blocks, c >= 0, c < kinds.count, rows != 0 || columns != 0 else { return nil }
            if let l = layers[r][c] { return l }
        }
    }
}
