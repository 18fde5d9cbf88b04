/// Calibrated input statistics of one linear layer, from the full-precision model's activations:
/// DecDEC's thresholds (for every rank r, the largest r-th largest |x| over all calibration positions)
/// and the mean |x| per channel (for the static baseline's fixed channel list).
///
/// ```swift
/// var stats = ActivationThresholds(channels: 384)
/// stats.observe(inputs)                 // [positions, 384], as many batches as wanted
/// let b = stats.thresholds[k - 1]       // the calibrated k-th largest |x|
/// ```
public struct ActivationThresholds: Sendable, Equatable {
    /// Input channels.
    public let channels: Int
    /// `thresholds[r]` = max over positions of the (r+1)-th largest |x| (descending in r).
    public private(set) var thresholds: [Float]
    /// Σ |x| per channel over the positions seen.
    public private(set) var magnitudeSums: [Double]
    /// Positions seen.
    public private(set) var positions: Int

    /// No positions seen yet.
    public init(channels: Int) {
        self.channels = channels
        thresholds = [Float](repeating: 0, count: channels)
        magnitudeSums = [Double](repeating: 0, count: channels)
        positions = 0
    }

    /// Adds the rows of `inputs` (`[positions, channels]`).
    public mutating func observe(_ inputs: Matrix<Float>) {
        precondition(inputs.cols == channels, "inputs have \(inputs.cols) channels, expected \(channels)")
        var sorted = [Float](repeating: 0, count: channels)
        inputs.storage.withUnsafeBufferPointer { x in
            for p in 0..<inputs.rows {
                for c in 0..<channels {
                    let m = abs(x[p * channels + c])
                    sorted[c] = m
                    magnitudeSums[c] += Double(m)
                }
                sorted.sort(by: >)
                for r in 0..<channels where sorted[r] > thresholds[r] { thresholds[r] = sorted[r] }
            }
        }
        positions += inputs.rows
    }

    /// The `count` channels with the largest mean |x| (ties to the lower index), in that order.
    public func staticChannels(count: Int) -> [Int] {
        Array((0..<channels).sorted { magnitudeSums[$0] != magnitudeSums[$1] ? magnitudeSums[$0] > magnitudeSums[$1] : $0 < $1 }
            .prefix(count))
    }
}
