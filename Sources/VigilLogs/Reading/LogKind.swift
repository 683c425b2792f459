import VigilModel

/// What a file holds, recognised from its content with its path as a hint.
public enum LogKind: Hashable, Sendable {
    /// A CloudTrail `{"Records":[…]}` document.
    case cloudTrailDocument
    /// CloudTrail events, one JSON object per line.
    case cloudTrailLines
    /// VPC Flow Logs text: the schema and whether the first line was its header.
    case flowLog(FlowLogSchema, hasHeader: Bool)
    /// Route 53 Resolver query-log records, one JSON object per line.
    case resolverLines

    /// The source whose records the file holds.
    public var source: LogSourceIndex {
        switch self {
        case .cloudTrailDocument, .cloudTrailLines: Self.cloudTrail
        case .flowLog: Self.flowLogs
        case .resolverLines: Self.resolver
        }
    }

    public var dataSource: DataSource { LogSources[source].dataSource }

    /// The kind's name where a kind is stored (a cluster handover); `nil` for flow logs, whose
    /// bytes carry the header that tells their schema and are recognised from it.
    public var storedName: String? {
        switch self {
        case .cloudTrailDocument: "cloudTrailDocument"
        case .cloudTrailLines: "cloudTrailLines"
        case .resolverLines: "resolverLines"
        case .flowLog: nil
        }
    }

    /// The kind a stored name names (`nil` for a name it does not know: recognised from the bytes).
    public init?(storedName name: String) {
        switch name {
        case "cloudTrailDocument": self = .cloudTrailDocument
        case "cloudTrailLines": self = .cloudTrailLines
        case "resolverLines": self = .resolverLines
        default: return nil
        }
    }

    private static let cloudTrail = LogSources.index(of: .cloudTrail)!
    private static let flowLogs = LogSources.index(of: .flowLogs)!
    private static let resolver = LogSources.index(of: .dns)!
}

/// Why a file was passed over without reading records.
public enum SkipReason: String, Error, Hashable, Sendable, CaseIterable {
    case cloudTrailDigest = "CloudTrail digest file"
    case cloudTrailInsight = "CloudTrail Insights events"
    case empty = "empty file"
    case unrecognised = "not a CloudTrail, VPC Flow Logs or Resolver query log"
}

/// Recognises the kind of a log file, asking each registered source (``LogSources``).
public enum LogSniffer {
    /// Classifies a file from its (inflated) content and its path.
    public static func classify(path: String, content: UnsafeRawBufferPointer) -> Result<LogKind, SkipReason> {
        var i = 0
        let n = content.count
        while i < n && isSpace(content[i]) { i += 1 }
        let layout = S3LogPath(path: path)
        let head = UnsafeRawBufferPointer(rebasing: content[i..<Swift.min(n, i + 8192)])
        let firstLineEnd = head.firstIndex(of: 0x0A) ?? head.count
        let file = FileHead(path: path, layout: layout, head: head, firstLine: UnsafeRawBufferPointer(rebasing: head[0..<firstLineEnd]))
        if head.isEmpty {
            // A source may know an empty file by its key (a digest); otherwise it is just empty.
            if let layout, let source = LogSources.source(for: layout.service), case .skip(let reason)? = source.recognise(file) {
                return .failure(reason)
            }
            return .failure(.empty)
        }
        return LogSources.recognise(file)
    }

    /// A headerless line of the default format: 14 fields, the first `2`.
    static func looksLikeDefaultFlowRecord(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.count > 2, line[0] == 0x32, line[1] == 0x20 else { return false }
        var fields = 0
        var inToken = false
        for c in line {
            if c == 0x20 || c == 0x09 || c == 0x0D { inToken = false } else if !inToken { inToken = true; fields += 1 }
        }
        return fields == 14
    }

    /// Whether `"Records"` is followed by `:` and `[` in the head of a document.
    static func recordsKeyOpensArray(_ head: UnsafeRawBufferPointer) -> Bool {
        guard let at = find(head, "\"Records\"") else { return false }
        var i = at + 9
        while i < head.count && isSpace(head[i]) { i += 1 }
        guard i < head.count, head[i] == 0x3A else { return false }
        i += 1
        while i < head.count && isSpace(head[i]) { i += 1 }
        return i < head.count && head[i] == 0x5B
    }

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: StaticString) -> Bool {
        find(haystack, needle) != nil
    }

    static func find(_ haystack: UnsafeRawBufferPointer, _ needle: StaticString) -> Int? {
        let m = needle.utf8CodeUnitCount
        guard m > 0, haystack.count >= m else { return nil }
        let n = needle.utf8Start
        for i in 0...(haystack.count - m) where haystack[i] == n[0] {
            var k = 1
            while k < m && haystack[i + k] == n[k] { k += 1 }
            if k == m { return i }
        }
        return nil
    }
}
