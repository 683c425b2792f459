import Foundation
import CLibdeflate
import CZlib

/// Inflates gzip files: libdeflate for speed, zlib's streaming inflater to salvage what precedes
/// damage in a truncated or corrupt file.
///
/// Handles multi-member files (concatenated gzip streams, as some log shippers write).
public final class GzipInflater {
    private let decompressor: OpaquePointer

    public init() {
        guard let d = libdeflate_alloc_decompressor() else { fatalError("libdeflate_alloc_decompressor failed: out of memory") }
        decompressor = d
    }

    deinit { libdeflate_free_decompressor(decompressor) }

    /// Whether `bytes` begin with the gzip magic number.
    public static func isGzip(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// The outcome of inflating a file.
    public enum Outcome: Equatable, Sendable {
        case complete
        /// The stream is damaged; `output` holds everything decoded before the damage.
        case damaged(reason: String)
    }

    /// The text of a small file's bytes (name lists, configuration), inflated when they are gzip;
    /// `damage` says why a damaged stream stopped (the text then holds what came before).
    public static func text(of data: Data) -> (text: String, damage: String?) {
        data.withUnsafeBytes { bytes in
            guard isGzip(bytes) else { return (withoutByteOrderMark(String(decoding: bytes, as: UTF8.self)), nil) }
            let buffer = LogBuffer()
            let outcome = GzipInflater().inflate(bytes, into: buffer)
            let text = withoutByteOrderMark(String(decoding: buffer.bytes, as: UTF8.self))
            if case .damaged(let reason) = outcome { return (text, reason) }
            return (text, nil)
        }
    }

    /// `text` without a leading byte-order mark (which exports from Windows tools carry).
    public static func withoutByteOrderMark(_ text: String) -> String {
        text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }

    /// The most a file may inflate to (1 GiB: a day of a busy VPC's flow logs is written in
    /// files far smaller); past it the file is reported damaged with what was inflated so far, so
    /// a gzip bomb cannot take the memory other work needs.
    public static let maximumInflatedBytes = 1 << 30

    /// Inflates `input` into `output` (replacing its contents).
    public func inflate(_ input: UnsafeRawBufferPointer, into output: LogBuffer) -> Outcome {
        output.count = 0
        guard let inputBase = input.baseAddress, input.count >= 18 else {
            return salvage(input, into: output, reason: "gzip data is too short")
        }
        // The trailer of the last member holds its size mod 2^32: a first guess, believed only as
        // far as deflate can expand what is there (at most 1032 to 1).
        let trailer = input.count - 4
        let lastSize = Int(input[trailer]) | Int(input[trailer + 1]) << 8 | Int(input[trailer + 2]) << 16 | Int(input[trailer + 3]) << 24
        let possible = Swift.min(input.count * 1032 + (1 << 16), Self.maximumInflatedBytes)
        output.reserve(Swift.min(Swift.max(lastSize, input.count * 4, 1 << 16), possible))
        var consumed = 0
        while consumed < input.count {
            var inUsed = 0
            var outUsed = 0
            let result = libdeflate_gzip_decompress_ex(
                decompressor, inputBase + consumed, input.count - consumed,
                output.base + output.count, output.capacity - output.count, &inUsed, &outUsed)
            switch result {
            case LIBDEFLATE_SUCCESS:
                output.count += outUsed
                consumed += inUsed
                // Trailing zero padding after the last member is allowed.
                if consumed < input.count && input[consumed] != 0x1f {
                    if (consumed..<input.count).allSatisfy({ input[$0] == 0 }) { return .complete }
                    return .damaged(reason: "unexpected bytes after gzip member at offset \(consumed)")
                }
            case LIBDEFLATE_INSUFFICIENT_SPACE:
                guard output.capacity < Self.maximumInflatedBytes else {
                    return salvage(UnsafeRawBufferPointer(rebasing: input[consumed...]), into: output,
                                   reason: "gzip data inflates to more than \(Self.maximumInflatedBytes >> 20) MiB")
                }
                output.reserve(Swift.min(output.capacity * 2, Self.maximumInflatedBytes))
            default:
                return salvage(UnsafeRawBufferPointer(rebasing: input[consumed...]), into: output,
                               reason: "gzip data is corrupt or truncated")
            }
        }
        return .complete
    }

    /// Inflates as much of a damaged stream as zlib can, appending to `output`.
    private func salvage(_ input: UnsafeRawBufferPointer, into output: LogBuffer, reason: String) -> Outcome {
        var stream = z_stream()
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return .damaged(reason: reason)
        }
        defer { inflateEnd(&stream) }
        guard let base = input.baseAddress else { return .damaged(reason: reason) }
        stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        while true {
            if output.capacity - output.count < 1 << 16 {
                guard output.capacity < Self.maximumInflatedBytes else {
                    return .damaged(reason: "gzip data inflates to more than \(Self.maximumInflatedBytes >> 20) MiB")
                }
                output.reserve(Swift.min(Swift.max(output.capacity * 2, 1 << 16), Self.maximumInflatedBytes))
            }
            stream.next_out = (output.base + output.count).assumingMemoryBound(to: Bytef.self)
            let room = Swift.min(output.capacity - output.count, Int(UInt32.max))
            stream.avail_out = uInt(room)
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            output.count += room - Int(stream.avail_out)
            if status == Z_STREAM_END {
                if stream.avail_in == 0 { return .damaged(reason: reason) }
                // Another member follows.
                guard inflateReset(&stream) == Z_OK else { return .damaged(reason: reason) }
                continue
            }
            if status != Z_OK { return .damaged(reason: reason) }
            if stream.avail_in == 0 && stream.avail_out != 0 { return .damaged(reason: "gzip data is truncated") }
        }
    }
}

/// Compresses buffers with libdeflate (gzip test and benchmark material, findings exported to S3).
public final class GzipDeflater {
    private let compressor: OpaquePointer

    public init(level: Int32 = 6) {
        guard let c = libdeflate_alloc_compressor(level) else { fatalError("libdeflate_alloc_compressor failed") }
        compressor = c
    }

    deinit { libdeflate_free_compressor(compressor) }

    public func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        let bound = libdeflate_gzip_compress_bound(compressor, input.count)
        var out = [UInt8](repeating: 0, count: bound)
        let n = out.withUnsafeMutableBytes { o in
            libdeflate_gzip_compress(compressor, input.baseAddress, input.count, o.baseAddress, bound)
        }
        out.removeLast(bound - n)
        return out
    }
}
