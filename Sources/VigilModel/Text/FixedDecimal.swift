import Foundation

/// Numbers written with a fixed number of decimals exactly as `printf("%.Nf")` writes them, without
/// Foundation's formatter in the common case (it costs about a microsecond a call, and findings'
/// descriptions and details write several numbers each).
///
/// Contract: the text equals `String(format: "%.<decimals>f", value)` for every value — the value
/// rounded to the nearest multiple of 10⁻ᴺ by its exact binary value, an exact tie to the even
/// multiple, with a `-` for negative values (`-0.00` for a small negative one). Values whose
/// scaled magnitude reaches 2⁵² (where the exact tie test below no longer holds), non-finite
/// values and more than 6 decimals are written by Foundation.
public enum FixedDecimal {
    private static let scales: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    public static func text(_ value: Double, decimals: Int) -> String {
        guard value.isFinite, decimals >= 0, decimals < scales.count else { return String(format: "%.\(decimals)f", value) }
        let scale = scales[decimals]
        let magnitude = abs(value)
        let product = magnitude * scale
        guard product < 4.5e15 else { return String(format: "%.\(decimals)f", value) }
        // The rounded product's floor, then the exact side of the tie above it: a fused
        // multiply-add gives magnitude × scale − (floor + ½) with one rounding, so its sign is
        // the exact comparison's (zero only for an exact tie).
        var units = product.rounded(.down)
        let residual = (-(units + 0.5)).addingProduct(magnitude, scale)
        if residual > 0 || (residual == 0 && units.truncatingRemainder(dividingBy: 2) == 1) { units += 1 }
        let whole = UInt64(units)
        let divisor = UInt64(scale)
        var text = value.sign == .minus ? "-" : ""
        text += String(whole / divisor)
        if decimals > 0 {
            let fraction = String(whole % divisor)
            text += "."
            text += String(repeating: "0", count: decimals - fraction.count)
            text += fraction
        }
        return text
    }
}

extension Double {
    /// The value with `decimals` decimals, as `String(format: "%.<decimals>f", value)` writes it
    /// (see ``FixedDecimal``).
    @inlinable
    public func text(decimals: Int) -> String { FixedDecimal.text(self, decimals: decimals) }
}
