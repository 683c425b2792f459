/// The lexical features the domain-generation classifier reads from one label — the label just
/// left of the public suffix (`kryrczixg` in `kryrczixg.com`, `puzydog` in `www.puzydog.co.uk`).
///
/// Generated names differ from names people choose in how their letters follow each other, so the
/// central feature is how likely the label's letters are under a character trigram model of
/// ordinary names (``TrigramTable``); the rest describe the label's shape: length, character
/// entropy, digits, vowels, consonant runs, letter/digit alternation, hyphens. Features are
/// computed from bytes, without allocating, and are the same in training and in detection.
public struct DomainLabelFeatures: Sendable {
    /// Number of features.
    public static let count = 11
    /// Their names, in order, for reports.
    public static let names = ["mean-trigram-log2p", "sum-trigram-log2p/10", "ln-length", "entropy", "digit-fraction",
                               "vowel-fraction", "longest-consonant-run", "letter-digit-switches", "rare-trigram-fraction",
                               "hyphens", "letter-weighted-log2p"]
    /// A trigram below this log2 probability counts as rare.
    static let rareLog2P: Float = -8

    public var values: (Float, Float, Float, Float, Float, Float, Float, Float, Float, Float, Float)

    /// Computes the features of `label` (bytes of one DNS label, any case). `nil` when fewer than
    /// `minimumLength` letters and digits remain — too short to tell generated from chosen.
    public static func compute(label: UnsafeRawBufferPointer, trigrams: TrigramTable, minimumLength: Int = 1) -> DomainLabelFeatures? {
        // Keep at most 63 characters (a DNS label's limit) of [a-z0-9-].
        var chars = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        return withUnsafeMutableBytes(of: &chars) { buffer -> DomainLabelFeatures? in
            var n = 0
            for var c in label {
                if c &- 0x41 < 26 { c |= 0x20 }
                guard (c &- 0x61 < 26) || (c &- 0x30 < 10) || c == 0x2D else { continue }
                if n == 63 { break }
                buffer[n] = c
                n += 1
            }
            var alphanumerics = 0
            for i in 0..<n where buffer[i] != 0x2D { alphanumerics += 1 }
            guard alphanumerics >= max(1, minimumLength) else { return nil }
            return compute(normalised: UnsafeRawBufferPointer(rebasing: buffer[0..<n]), trigrams: trigrams)
        }
    }

    static func compute(normalised l: UnsafeRawBufferPointer, trigrams: TrigramTable) -> DomainLabelFeatures {
        let n = l.count
        var histogram = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                         UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                         UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                         UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                         UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        var digits = 0, letters = 0, vowels = 0, hyphens = 0
        var run = 0, longestRun = 0, switches = 0
        var previousKind: UInt8 = 0  // 1 letter, 2 digit
        var logSum: Float = 0, transitions = 0, rare = 0
        var a = 0, b = 0  // the two previous letters of the current letter run (0 = boundary)
        withUnsafeMutableBytes(of: &histogram) { counts in
            counts.withMemoryRebound(to: UInt64.self) { counts in
                for i in 0..<n {
                    let c = l[i]
                    let symbol = TrigramTable.symbol(c)
                    counts[symbol] += 1
                    let kind: UInt8
                    if c &- 0x61 < 26 {
                        kind = 1
                        letters += 1
                        let letter = Int(c &- 0x60)
                        let vowel = c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6F || c == 0x75 || c == 0x79
                        if vowel { vowels += 1; run = 0 } else { run += 1; longestRun = max(longestRun, run) }
                        let p = trigrams.log2p(a, b, letter)
                        logSum += p
                        transitions += 1
                        if p < rareLog2P { rare += 1 }
                        a = b
                        b = letter
                    } else {
                        kind = c == 0x2D ? 0 : 2
                        if kind == 2 { digits += 1 } else { hyphens += 1 }
                        run = 0
                        if b != 0 {  // close the letter run
                            let p = trigrams.log2p(a, b, 0)
                            logSum += p
                            transitions += 1
                            if p < rareLog2P { rare += 1 }
                        }
                        a = 0
                        b = 0
                    }
                    if kind != 0 && previousKind != 0 && kind != previousKind { switches += 1 }
                    if kind != 0 { previousKind = kind }
                }
                if b != 0 {
                    let p = trigrams.log2p(a, b, 0)
                    logSum += p
                    transitions += 1
                    if p < rareLog2P { rare += 1 }
                }
            }
        }
        var entropy: Float = 0
        withUnsafeBytes(of: &histogram) { counts in
            for count in counts.bindMemory(to: UInt64.self) where count > 0 {
                let p = Float(count) / Float(n)
                entropy -= p * log2f(p)
            }
        }
        let mean: Float = transitions > 0 ? logSum / Float(transitions) : -3
        let rareFraction: Float = transitions > 0 ? Float(rare) / Float(transitions) : 0
        return DomainLabelFeatures(values: (
            mean, (transitions > 0 ? logSum : -3) / 10, logf(Float(max(n, 1))), entropy, Float(digits) / Float(n),
            Float(vowels) / Float(max(letters, 1)), Float(longestRun), Float(switches), rareFraction, Float(hyphens),
            Float(letters) / Float(n) * mean))
    }

    /// The features as an array (training and reports only).
    public var array: [Float] {
        withUnsafeBytes(of: values) { Array($0.bindMemory(to: Float.self)) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
