/// The number of elements of a tensor shape, or nil when the product overflows `Int`: the check every
/// tensor writer and header reader makes before sizing a buffer.
enum ElementCount {
    static func of(_ shape: [Int]) -> Int? {
        var elements = 1
        for dim in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dim)
            if overflow { return nil }
            elements = product
        }
        return elements
    }
}
