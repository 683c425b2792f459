#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes in memory with at least `LogBuffer.padding` readable bytes after them.
public struct PaddedBytes {
    public let base: UnsafeRawPointer
    public let count: Int
    /// Readable bytes from `base`, padding included (`>= count + LogBuffer.padding`).
    public let readable: Int

    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// The bytes after a leading UTF-8 byte-order mark (which exports from Windows tools carry), or
    /// these bytes when there is none.
    public var droppingByteOrderMark: PaddedBytes {
        guard count >= 3, base.load(as: UInt8.self) == 0xEF, base.load(fromByteOffset: 1, as: UInt8.self) == 0xBB,
              base.load(fromByteOffset: 2, as: UInt8.self) == 0xBF else { return self }
        return PaddedBytes(base: base + 3, count: count - 3, readable: readable - 3)
    }
}

/// A file mapped read-only into memory, used instead of copying it into a buffer.
///
/// Mapping is used only when the file's last page has room for the padding simdjson reads past
/// the end (the kernel zero-fills the rest of the last page); otherwise ``map(path:)`` returns
/// `nil` and the caller reads the file into a ``LogBuffer``.
final class MappedFile {
    let contents: PaddedBytes
    private let length: Int

    private init(contents: PaddedBytes, length: Int) {
        self.contents = contents
        self.length = length
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: contents.base), length) }

    /// Maps the file at `path`, or returns `nil` when it cannot be mapped with padding.
    static func map(path: String) -> MappedFile? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(info.st_size)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let length = (size + page - 1) / page * page
        guard size > 0, length - size >= LogBuffer.padding else { return nil }
        guard let address = mmap(nil, length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), address != MAP_FAILED else { return nil }
        return MappedFile(contents: PaddedBytes(base: UnsafeRawPointer(address), count: size, readable: length), length: length)
    }
}

extension LogBuffer {
    /// The contents with their padding.
    public var padded: PaddedBytes { PaddedBytes(base: UnsafeRawPointer(base), count: count, readable: allocated) }
}
