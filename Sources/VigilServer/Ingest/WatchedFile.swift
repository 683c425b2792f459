import Foundation
import VigilLogs

/// What the watcher needs to know of a file on disk before reading it: its compression, its kind,
/// its log source, and its complete lines past a checkpoint.
enum WatchedFile {
    /// The log source a file belongs to, for usage by resource: its flow log (`fl-…`, from the
    /// S3 file name), its VPC's Resolver logs, its region's CloudTrail, or its folder.
    static func logSource(_ path: String) -> String {
        let name = (path as NSString).lastPathComponent
        if let layout = S3LogPath(path: path) {
            switch layout.service {
            case .vpcFlowLogs:
                if let id = name.split(separator: "_").first(where: { $0.hasPrefix("fl-") }) { return String(id) }
                return "vpcflowlogs/\(layout.region ?? "unknown")"
            case .resolverQueryLogs: return layout.vpcId ?? "vpcdnsquerylogs"
            default: return "CloudTrail/\(layout.region ?? "unknown")"
            }
        }
        return (path as NSString).deletingLastPathComponent
    }

    static func isGzip(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let magic = (try? handle.read(upToCount: 2)) ?? Data()
        return magic.count == 2 && magic[magic.startIndex] == 0x1f && magic[magic.startIndex + 1] == 0x8b
    }

    /// The complete lines of a plain file between `from` and `to` (after its flow-log header line
    /// when `from` is past it), and how many of the file's bytes they take; with
    /// `includingUnfinished`, a last line without a newline too. `nil` when there is nothing to read.
    static func lines(of path: String, from: Int64, to: Int64, includingUnfinished: Bool) -> ([UInt8], Int64)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var prefix: [UInt8] = []
        if from > 0 {
            let head = (try? handle.read(upToCount: 4096)) ?? Data()
            if let newline = head.firstIndex(of: 0x0A) {
                var first = String(decoding: head[head.startIndex..<newline], as: UTF8.self)
                if first.hasPrefix("\u{FEFF}") { first.removeFirst() }
                if first.hasSuffix("\r") { first.removeLast() }
                // A flow-log header names its fields (`version account-id … srcaddr …`); JSON lines have none.
                let fields = first.split(separator: " ")
                if !first.hasPrefix("{"), fields.contains("srcaddr") || fields.first == "version" { prefix = Array(head[head.startIndex...newline]) }
            }
        }
        guard to > from, (try? handle.seek(toOffset: UInt64(from))) != nil, let added = try? handle.read(upToCount: Int(to - from)), !added.isEmpty else {
            return nil
        }
        if includingUnfinished {
            return (prefix + added + (added.last == 0x0A ? [] : [0x0A]), Int64(added.count))
        }
        guard let last = added.lastIndex(of: 0x0A) else { return nil }
        let complete = added[added.startIndex...last]
        return (prefix + complete, Int64(complete.count))
    }

    /// What a plain file is, from its first bytes (`nil` when they do not tell yet).
    static func kind(of path: String) -> LogKind? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var head = Array((try? handle.read(upToCount: 65536)) ?? Data())
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head.removeFirst(3) }
        return head.withUnsafeBytes { bytes in
            if case .success(let kind) = LogSniffer.classify(path: path, content: bytes) { return kind }
            return nil
        }
    }

}
