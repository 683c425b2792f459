#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VigilModel

/// A borrowed view of UTF-8 bytes inside a log buffer: a field as the log wrote it, not yet a `String`.
///
/// A `RawText` is valid only while the record that handed it out is being inspected (inside the
/// reader's callback). Call ``string`` to keep a value beyond that. Comparisons with literals
/// allocate nothing, so detectors can test every event cheaply.
public struct RawText: @unchecked Sendable, CustomStringConvertible {
    public let start: UnsafePointer<UInt8>?
    public let count: Int

    @inlinable
    public init(start: UnsafePointer<UInt8>?, count: Int) {
        self.start = start
        self.count = start == nil ? 0 : count
    }

    /// An absent value (a missing key, JSON null, or `-` in a flow log).
    public static let absent = RawText(start: nil, count: 0)

    @inlinable public var isPresent: Bool { start != nil }
    @inlinable public var isEmpty: Bool { count == 0 }

    @inlinable
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: start, count: count) }

    /// The text as a `String`, or `nil` when absent. Invalid UTF-8 is repaired.
    public var string: String? {
        guard let start else { return nil }
        return String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    }

    public var description: String { string ?? "<absent>" }

    /// Whether the bytes equal `literal` exactly.
    @inlinable
    public func equals(_ literal: StaticString) -> Bool {
        guard let start, literal.utf8CodeUnitCount == count else { return false }
        return memcmpEqual(start, literal.utf8Start, count)
    }

    /// Whether the bytes equal `literal`, ignoring ASCII case.
    @inlinable
    public func equalsIgnoringCase(_ literal: StaticString) -> Bool {
        guard let start, literal.utf8CodeUnitCount == count else { return false }
        let other = literal.utf8Start
        for i in 0..<count where RawText.lower(start[i]) != RawText.lower(other[i]) { return false }
        return true
    }

    @inlinable
    public func hasPrefix(_ literal: StaticString) -> Bool {
        guard let start, literal.utf8CodeUnitCount <= count else { return false }
        return memcmpEqual(start, literal.utf8Start, literal.utf8CodeUnitCount)
    }

    @inlinable
    public func hasSuffix(_ literal: StaticString) -> Bool {
        guard let start, literal.utf8CodeUnitCount <= count else { return false }
        return memcmpEqual(start + (count - literal.utf8CodeUnitCount), literal.utf8Start, literal.utf8CodeUnitCount)
    }

    /// Whether `needle` (ASCII, given in lower case) occurs anywhere, ignoring ASCII case.
    @inlinable
    public func containsIgnoringCase(_ needle: StaticString) -> Bool {
        firstIndexIgnoringCase(needle) != nil
    }

    /// The offset of the first occurrence of `needle` (ASCII, given in lower case), ignoring case.
    @inlinable
    public func firstIndexIgnoringCase(_ needle: StaticString, from offset: Int = 0) -> Int? {
        guard let start else { return nil }
        let m = needle.utf8CodeUnitCount
        guard m > 0, m <= count - offset else { return m == 0 ? offset : nil }
        let n = needle.utf8Start
        let first = n[0]
        var i = offset
        let last = count - m
        while i <= last {
            if RawText.lower(start[i]) == first {
                var k = 1
                while k < m && RawText.lower(start[i + k]) == n[k] { k += 1 }
                if k == m { return i }
            }
            i += 1
        }
        return nil
    }

    /// The offset of the first `byte` at or after `offset` (memchr).
    @inlinable
    public func firstIndex(of byte: UInt8, from offset: Int = 0) -> Int? {
        guard let start, offset < count else { return nil }
        guard let hit = memchr(start + offset, Int32(byte), count - offset) else { return nil }
        return UnsafeRawPointer(start).distance(to: UnsafeRawPointer(hit))
    }

    /// The byte at `offset`, ASCII-lower-cased.
    @inlinable
    public func lowercasedByte(at offset: Int) -> UInt8 { RawText.lower(start![offset]) }

    /// The bytes from `offset` on.
    @inlinable
    public func dropFirst(_ offset: Int) -> RawText {
        guard let start else { return .absent }
        let k = Swift.min(offset, count)
        return RawText(start: start + k, count: count - k)
    }

    /// The first `length` bytes.
    @inlinable
    public func prefix(_ length: Int) -> RawText {
        guard let start else { return .absent }
        return RawText(start: start, count: Swift.min(length, count))
    }

    /// The value as an unsigned decimal integer, or `nil` if it is not one.
    @inlinable
    public var uint64: UInt64? {
        guard let start, count > 0, count <= 20 else { return nil }
        var v: UInt64 = 0
        for i in 0..<count {
            let d = start[i] &- 0x30
            guard d < 10 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            v = s
        }
        return v
    }

    /// `true` for `true`/`"true"`, `false` for `false`/`"false"`, otherwise `nil`.
    @inlinable
    public var bool: Bool? {
        if equalsIgnoringCase("true") { return true }
        if equalsIgnoringCase("false") { return false }
        return nil
    }

    /// The value as an IP address, or `nil` if it is not one.
    @inlinable
    public var ipAddress: IPAddress? {
        guard isPresent else { return nil }
        return IPAddress(utf8: bytes)
    }

    /// The value as an ISO-8601 timestamp, or `nil` if it is not one.
    @inlinable
    public var timestamp: Timestamp? {
        guard isPresent else { return nil }
        return Timestamp(iso8601: bytes)
    }

    @inlinable @inline(__always)
    static func lower(_ c: UInt8) -> UInt8 { (c &- 0x41) < 26 ? c | 0x20 : c }
}

@inlinable @inline(__always)
func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    for i in 0..<n where a[i] != b[i] { return false }
    return true
}
