import VigilLogs
import VigilModel

/// Maps event names to the CloudTrail routes that read them, looked up by the bytes of the name.
///
/// The table lies in fixed storage of plain values — hashes, name bytes and runs of unretained
/// routes — so a lookup counts no reference and allocates nothing. The table is built once from
/// the detectors' declared names and never grows, so a crafted name costs at most a probe of its
/// cluster. The routes must outlive the router (the engine holds them); its owner frees it with
/// ``deallocate()``.
struct EventNameRouter {
    /// One slot of the open-addressed table; `nameLength < 0` marks an empty one.
    private struct Slot {
        var hash: UInt64 = 0
        var nameStart = 0
        var nameLength = -1
        var run = UnmanagedRun<CloudTrailRoute>()
    }

    private let slots: UnsafeMutableBufferPointer<Slot>
    private let names: UnsafeMutableRawBufferPointer
    private let mask: Int

    /// `routes` pairs each name with a route reading it; a name's routes keep the order they come
    /// in (a route named twice for one name is kept once).
    init(_ routes: [(String, CloudTrailRoute)]) {
        var order: [[UInt8]] = []
        var byName: [[UInt8]: [CloudTrailRoute]] = [:]
        for (name, route) in routes {
            let bytes = Array(name.utf8)
            if byName[bytes] == nil { order.append(bytes) }
            if !byName[bytes, default: []].contains(where: { $0 === route }) { byName[bytes, default: []].append(route) }
        }
        var size = 16
        while size < order.count * 4 { size *= 2 }
        mask = size - 1
        slots = .allocate(capacity: size)
        slots.initialize(repeating: Slot())
        names = .allocate(byteCount: max(1, order.reduce(0) { $0 + $1.count }), alignment: 8)
        var offset = 0
        for bytes in order {
            let hash = bytes.withUnsafeBytes { ByteHash.fnv1a($0) }
            var i = Int(truncatingIfNeeded: hash) & mask
            while slots[i].nameLength >= 0 { i = (i + 1) & mask }
            bytes.withUnsafeBytes { names.baseAddress!.advanced(by: offset).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            slots[i] = Slot(hash: hash, nameStart: offset, nameLength: bytes.count, run: UnmanagedRun(byName[bytes]!))
            offset += bytes.count
        }
    }

    /// The routes reading events named `name` (empty when none does).
    func routes(for name: RawText) -> UnmanagedRun<CloudTrailRoute> {
        guard name.isPresent else { return UnmanagedRun() }
        let hash = ByteHash.fnv1a(name.bytes)
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[i]
            if slot.nameLength < 0 { return UnmanagedRun() }
            if slot.hash == hash && slot.nameLength == name.count
                && UnsafeRawBufferPointer(rebasing: names[slot.nameStart..<slot.nameStart + slot.nameLength]).elementsEqual(name.bytes) {
                return slot.run
            }
            i = (i + 1) & mask
        }
    }

    func deallocate() {
        for slot in slots where slot.nameLength >= 0 { slot.run.deallocate() }
        slots.deallocate()
        names.deallocate()
    }
}
