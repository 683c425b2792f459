/// One value per partition, each written by its own partition's thread during a parallel round
/// (`DispatchQueue.concurrentPerform`) and read once the round is over.
///
/// Contract: during a round, slot `i` is touched by partition `i` only; ``values`` is read after the
/// round returns. Under that contract no two threads touch the same memory, so no lock is needed.
final class PartitionSlots<Value>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Value>

    init(count: Int, initial: Value) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: initial)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    subscript(partition: Int) -> Value {
        get { slots[partition] }
        set { slots[partition] = newValue }
    }

    /// The slots in partition order.
    var values: [Value] { Array(slots) }
}
