/// Objects in fixed storage, visited without retaining them: for per-record loops over objects
/// that something else holds for longer. Freed with ``deallocate()`` by its owner.
public struct UnmanagedRun<Object: AnyObject> {
    @usableFromInline let storage: UnsafeMutableBufferPointer<Unmanaged<Object>>

    public init() { storage = UnsafeMutableBufferPointer(start: nil, count: 0) }

    /// `objects` must outlive the run.
    public init(_ objects: [Object]) {
        guard !objects.isEmpty else {
            storage = UnsafeMutableBufferPointer(start: nil, count: 0)
            return
        }
        storage = .allocate(capacity: objects.count)
        _ = storage.initialize(from: objects.map { Unmanaged.passUnretained($0) })
    }

    public var isEmpty: Bool { storage.isEmpty }

    @inlinable
    public func forEach(_ body: (Object) -> Void) {
        for item in storage { item._withUnsafeGuaranteedRef(body) }
    }

    /// Calls `body` with each object and `value`, which is passed on rather than captured, so a
    /// large value is not copied for the calls.
    @inlinable
    public func forEach<Value>(passing value: inout Value, _ body: (Object, inout Value) -> Void) {
        for item in storage { item._withUnsafeGuaranteedRef { body($0, &value) } }
    }

    /// `body`'s answer for the object at `index`.
    @inlinable
    public func with<Result>(_ index: Int, _ body: (Object) -> Result) -> Result {
        storage[index]._withUnsafeGuaranteedRef(body)
    }

    public func deallocate() { storage.deallocate() }
}
