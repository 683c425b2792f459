import Testing
import VigilDetection
import VigilSimulation

/// The index answers as a dictionary would, through growth, replacement and rebuilding — for any
/// keys, zero and keys that share their low bits included.
@Suite struct PrehashedIndexTests {
    @Test func answersAsADictionary() {
        var generator = SplitMix64(state: 11)
        var index = PrehashedIndex()
        var model: [UInt64: Int32] = [:]
        for step in 0..<60_000 {
            // Random keys, keys alike in their low 32 bits, and a few small ones (0 included).
            let key: UInt64 = switch step % 3 {
            case 0: generator.next()
            case 1: (generator.next() % 5_000) << 32
            default: generator.next() % 64
            }
            let value = Int32(truncatingIfNeeded: generator.next() & 0x7FFF_FFFF)
            index.set(value, for: key)
            model[key] = value
            if step % 997 == 0 {
                for (k, v) in model where index[k] != v {
                    Issue.record("step \(step): \(k) → \(String(describing: index[k])), not \(v)")
                    return
                }
                var absent = generator.next()
                while model[absent] != nil { absent = generator.next() }
                #expect(index[absent] == nil)
            }
        }
        #expect(index.count == model.count)
        // Made anew for what remains, as the baselines do after dropping profiles: what was left
        // out is gone, what was kept is found.
        let kept = model.keys.sorted().enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        var rebuilt = PrehashedIndex(minimumCapacity: kept.count)
        for (i, key) in kept.enumerated() { rebuilt.set(Int32(i), for: key) }
        #expect(rebuilt.count == kept.count)
        #expect(kept.enumerated().allSatisfy { rebuilt[$0.element] == Int32($0.offset) })
        let keptSet = Set(kept)
        #expect(model.keys.filter { !keptSet.contains($0) }.allSatisfy { rebuilt[$0] == nil })
        rebuilt.set(7, for: 0)
        #expect(rebuilt[0] == 7)
    }
}
