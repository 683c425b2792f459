import Foundation
import Testing
import VigilModel

/// Fixed decimals written as `printf("%.Nf")` writes them.
@Suite struct FixedDecimalTests {
    @Test func writesAsPrintfDoes() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 1, -1, 0.5, 1.5, 2.5, 0.004, -0.004, 0.005, 0.015, 0.125, 0.375, 99.995, 1e14 + 0.25,
                                123_456.789, 3.14159, 59.999, 4.4e15, 5e15, 1e20, -1e300, 1e-300, .ulpOfOne, .leastNonzeroMagnitude]
        // Ties and near-ties as findings make them: seconds over an hour, bytes over a million.
        for seconds in 0..<40_000 { values.append(Double(seconds) / 3600) }
        for bytes in stride(from: 0, to: 5_000_000, by: 250) { values.append(Double(bytes) / 1e6) }
        for _ in 0..<20_000 {
            let magnitude = [1.0, 100, 10_000, 1e9][Int.random(in: 0..<4, using: &generator)]
            values.append(Double.random(in: -magnitude...magnitude, using: &generator))
        }
        var differing: [String] = []
        for value in values {
            for decimals in 0...3 {
                let ours = value.text(decimals: decimals)
                let printf = String(format: "%.\(decimals)f", value)
                if ours != printf { differing.append("\(value) %.\(decimals)f: \(ours) vs \(printf)") }
            }
        }
        #expect(differing.isEmpty, "\(differing.count): \(differing.prefix(10))")
    }

    @Test func writesWhatItCannotDoExactlyThroughFoundation() {
        #expect(Double.nan.text(decimals: 2) == String(format: "%.2f", Double.nan))
        #expect(Double.infinity.text(decimals: 1) == String(format: "%.1f", Double.infinity))
        #expect(1e20.text(decimals: 2) == "100000000000000000000.00")
        #expect(0.5.text(decimals: 9) == "0.500000000")
        #expect(2.5.text(decimals: 0) == "2")
        #expect(3.5.text(decimals: 0) == "4")
        #expect((-0.001).text(decimals: 2) == "-0.00")
    }
}
