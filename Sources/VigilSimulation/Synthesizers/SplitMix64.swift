import Foundation
import VigilModel

/// A small deterministic random generator (SplitMix64): the same material every run.
public struct SplitMix64 {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    public mutating func hex(_ count: Int) -> String {
        var s = ""
        s.reserveCapacity(count)
        let digits = Array("0123456789abcdef")
        for _ in 0..<count { s.append(digits[below(16)]) }
        return s
    }
    public mutating func upper(_ count: Int) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        return String((0..<count).map { _ in letters[below(letters.count)] })
    }
}
