#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CVigilJSON

/// A reusable byte buffer that always keeps `VJ_PADDING` readable bytes after its contents, as
/// simdjson needs. One buffer is reused for file after file, so memory stays flat in the number of
/// files: it grows to the largest file and no further.
public final class LogBuffer {
    public static let padding = Int(VJ_PADDING)

    /// Start of the contents.
    public private(set) var base: UnsafeMutableRawPointer
    /// Bytes allocated, padding included.
    public private(set) var allocated: Int
    /// Bytes of contents.
    public var count: Int = 0

    public init(initialCapacity: Int = 1 << 20) {
        allocated = initialCapacity + LogBuffer.padding
        base = UnsafeMutableRawPointer.allocate(byteCount: allocated, alignment: 64)
    }

    deinit { base.deallocate() }

    /// Room for contents, excluding padding.
    public var capacity: Int { allocated - LogBuffer.padding }

    /// The contents.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Makes room for at least `needed` bytes of contents, keeping the current contents.
    public func reserve(_ needed: Int) {
        guard needed > capacity else { return }
        var newCapacity = Swift.max(capacity, 1 << 16)
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity + LogBuffer.padding, alignment: 64)
        grown.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = grown
        allocated = newCapacity + LogBuffer.padding
    }

    /// Releases memory beyond `limit` bytes, so one huge file does not pin memory for the rest of a run.
    public func shrink(to limit: Int) {
        guard capacity > limit, count <= limit else { return }
        let smaller = UnsafeMutableRawPointer.allocate(byteCount: limit + LogBuffer.padding, alignment: 64)
        smaller.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = smaller
        allocated = limit + LogBuffer.padding
    }

    /// Replaces the contents with the whole file at `path`.
    public func load(path: String) throws(LogReadError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LogReadError(path: path, reason: .unreadable(errno: errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw LogReadError(path: path, reason: .unreadable(errno: errno)) }
        count = 0
        var expected = Int(info.st_size)
        reserve(expected)
        while true {
            if count == capacity { reserve(capacity * 2) }
            let n = read(fd, base + count, capacity - count)
            if n < 0 {
                if errno == EINTR { continue }
                throw LogReadError(path: path, reason: .unreadable(errno: errno))
            }
            if n == 0 { break }
            count += n
            if count >= expected { expected = count + 1 }
        }
    }

    /// Replaces the contents with `bytes`.
    public func set(_ bytes: UnsafeRawBufferPointer) {
        count = 0
        reserve(bytes.count)
        if let source = bytes.baseAddress { base.copyMemory(from: source, byteCount: bytes.count) }
        count = bytes.count
    }
}

/// A file that could not be read at all.
public struct LogReadError: Error, CustomStringConvertible, Sendable {
    public enum Reason: Sendable {
        case unreadable(errno: Int32)
    }
    public let path: String
    public let reason: Reason

    public var description: String {
        switch reason {
        case .unreadable(let code): "\(path): cannot read: \(String(cString: strerror(code)))"
        }
    }
}
