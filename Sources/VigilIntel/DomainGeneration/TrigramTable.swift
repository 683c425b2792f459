/// A character trigram model of ordinary names: log2 P(letter | two previous letters) over the
/// 26 letters and a boundary symbol, smoothed by interpolation with the bigram and unigram
/// models, so that an unseen trigram costs much but never infinitely. Stored quantised to
/// 1/8 bit in one byte per trigram (27³ = 19,683 bytes).
public struct TrigramTable: Sendable {
    /// Symbols: 0 is the boundary (start or end of a letter run), 1–26 are `a`–`z`.
    public static let symbols = 27
    /// Quantisation step: a stored byte `q` means log2 p = -q / 8.
    static let scale: Float = 8

    let quantised: [UInt8]

    /// A table from its stored bytes (`symbols³` of them).
    public init?(quantised: [UInt8]) {
        guard quantised.count == Self.symbols * Self.symbols * Self.symbols else { return nil }
        self.quantised = quantised
    }

    /// log2 P(`c` | `a`, `b`), with `a`, `b`, `c` symbols (0 = boundary, 1–26 = letters).
    @inline(__always)
    public func log2p(_ a: Int, _ b: Int, _ c: Int) -> Float {
        -Float(quantised[(a &* 27 &+ b) &* 27 &+ c]) / Self.scale
    }

    /// The histogram slot of a normalised character: letters 0–25, digits 26–35, `-` 36.
    @inline(__always)
    static func symbol(_ c: UInt8) -> Int {
        if c &- 0x61 < 26 { return Int(c &- 0x61) }
        if c &- 0x30 < 10 { return 26 + Int(c &- 0x30) }
        return 36
    }

    /// Counts trigrams of letter runs in weighted example names.
    public struct Counter {
        var trigrams = [Double](repeating: 0, count: 27 * 27 * 27)
        var bigrams = [Double](repeating: 0, count: 27 * 27)

        public init() {}

        /// Adds the letter runs of `name` (any case; digits, hyphens and dots split runs).
        public mutating func add(_ name: some Sequence<UInt8>, weight: Double = 1) {
            var a = 0, b = 0, inRun = false
            for var c in name {
                if c &- 0x41 < 26 { c |= 0x20 }
                if c &- 0x61 < 26 {
                    let letter = Int(c &- 0x60)
                    trigrams[(a * 27 + b) * 27 + letter] += weight
                    bigrams[b * 27 + letter] += weight
                    a = b
                    b = letter
                    inRun = true
                } else if inRun {
                    trigrams[(a * 27 + b) * 27] += weight
                    bigrams[b * 27] += weight
                    a = 0; b = 0; inRun = false
                }
            }
            if inRun {
                trigrams[(a * 27 + b) * 27] += weight
                bigrams[b * 27] += weight
            }
        }

        /// The smoothed, quantised table: unigram add-one; bigram interpolated with the unigram
        /// (weight `0.5 × 27`); trigram interpolated with the bigram (weight 2).
        public func table() -> TrigramTable {
            let n = 27
            var unigram = [Double](repeating: 1, count: n)
            for b in 0..<n { for c in 0..<n { unigram[c] += bigrams[b * n + c] } }
            let total = unigram.reduce(0, +)
            unigram = unigram.map { $0 / total }
            var bigram = [Double](repeating: 0, count: n * n)
            for b in 0..<n {
                let row = (0..<n).reduce(0.0) { $0 + bigrams[b * n + $1] }
                for c in 0..<n { bigram[b * n + c] = (bigrams[b * n + c] + 0.5 * Double(n) * unigram[c]) / (row + 0.5 * Double(n)) }
            }
            var bytes = [UInt8](repeating: 0, count: n * n * n)
            for a in 0..<n {
                for b in 0..<n {
                    let row = (0..<n).reduce(0.0) { $0 + trigrams[(a * n + b) * n + $1] }
                    for c in 0..<n {
                        let p = (trigrams[(a * n + b) * n + c] + 2 * bigram[b * n + c]) / (row + 2)
                        let q = (-log2(p) * Double(TrigramTable.scale)).rounded()
                        bytes[(a * n + b) * n + c] = UInt8(min(255, max(0, q)))
                    }
                }
            }
            return TrigramTable(quantised: bytes)!
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
