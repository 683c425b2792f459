import CVigilJSON
import VigilModel

/// Reads log files of every kind Vigil knows — plain or gzip, in the S3 layout or loose — and
/// hands their records to a ``LogRecordHandler``.
///
/// One reader reuses its buffers and parser for every file, so memory stays flat however many
/// files it reads. Bad records are reported through `onIssue` with their file and location and
/// counted; they never stop the rest of the file. Not thread-safe: use one reader per thread.
public final class LogReader {
    /// Event-time bounds; records outside are counted but not handed on.
    public var window: ClosedRange<Timestamp>?
    /// Called for every bad record, damaged or unreadable file.
    public var onIssue: (LogIssue) -> Void
    public private(set) var statistics = ReadStatistics()

    private let parser: OpaquePointer
    private let stored = LogBuffer()
    private let text = LogBuffer()
    private let inflater = GzipInflater()

    public init(window: ClosedRange<Timestamp>? = nil, onIssue: @escaping (LogIssue) -> Void = { _ in }) {
        guard let parser = vj_parser_create() else { fatalError("vj_parser_create failed: out of memory") }
        self.parser = parser
        self.window = window
        self.onIssue = onIssue
    }

    deinit { vj_parser_destroy(parser) }

    /// The outcome of reading one file.
    public enum FileOutcome: Equatable, Sendable {
        /// Read as `kind`; `records` were handed to the handler (bad and out-of-window ones not counted).
        case read(LogKind, records: UInt64)
        case skipped(SkipReason)
        case unreadable(String)
    }

    /// Reads the file at `path`.
    @discardableResult
    public func read(path: String, into handler: some LogRecordHandler) -> FileOutcome {
        if let mapped = MappedFile.map(path: path) {
            return withExtendedLifetime(mapped) { read(contents: mapped.contents, path: path, into: handler) }
        }
        do {
            try stored.load(path: path)
        } catch {
            statistics.unreadableFiles += 1
            report(LogIssue(path: path, location: .wholeFile, message: error.description))
            return .unreadable(error.description)
        }
        let outcome = read(contents: stored.padded, path: path, into: handler)
        // A rare huge file should not pin its memory for the rest of the run.
        stored.shrink(to: 64 << 20)
        text.shrink(to: 256 << 20)
        return outcome
    }

    /// Reads a file's bytes already in memory (gzip or plain), named `path` in reports. `kind`,
    /// when given, is what the bytes are (a piece of a file whose kind its beginning told), else
    /// it is recognised from them.
    @discardableResult
    public func read(bytes: UnsafeRawBufferPointer, path: String, kind: LogKind? = nil, into handler: some LogRecordHandler) -> FileOutcome {
        stored.set(bytes)
        return read(contents: stored.padded, path: path, kind: kind, into: handler)
    }

    private func read(contents: PaddedBytes, path: String, kind known: LogKind? = nil, into handler: some LogRecordHandler) -> FileOutcome {
        var plain = contents
        if GzipInflater.isGzip(contents.bytes) {
            if case .damaged(let reason) = inflater.inflate(contents.bytes, into: text) {
                statistics.damagedFiles += 1
                report(LogIssue(path: path, location: .wholeFile,
                                message: "\(reason); read the \(text.count) bytes before the damage"))
            }
            plain = text.padded
        }
        plain = plain.droppingByteOrderMark
        let layout = S3LogPath(path: path)
        let kind: LogKind
        switch known.map({ Result<LogKind, SkipReason>.success($0) }) ?? LogSniffer.classify(path: path, content: plain.bytes) {
        case .failure(let reason):
            statistics.skippedFiles[reason, default: 0] += 1
            return .skipped(reason)
        case .success(let k):
            kind = k
        }
        let source = LogSource(path: path, layout: layout)
        let context = ParseContext(reader: self, handler: handler, source: source, dataSource: kind.dataSource, window: window)
        context.volume.files = 1
        context.volume.bytes = UInt64(plain.count)
        context.volume.storedBytes = UInt64(contents.count)

        let unmanaged = Unmanaged.passUnretained(context).toOpaque()
        let base = plain.base.assumingMemoryBound(to: CChar.self)
        switch kind {
        case .cloudTrailDocument:
            vj_cloudtrail_document(parser, base, plain.count, plain.readable, cloudTrailCallback, errorCallback, unmanaged)
        case .cloudTrailLines:
            vj_cloudtrail_lines(parser, base, plain.count, plain.readable, cloudTrailCallback, errorCallback, unmanaged)
        case .resolverLines:
            vj_resolver_lines(parser, base, plain.count, plain.readable, resolverCallback, errorCallback, unmanaged)
        case .flowLog(let schema, let hasHeader):
            var body = plain.bytes
            var firstLine: UInt64 = 1
            var offset: UInt64 = 0
            if hasHeader {
                let headerEnd = body.firstIndex(of: 0x0A).map { $0 + 1 } ?? body.count
                body = UnsafeRawBufferPointer(rebasing: body[headerEnd...])
                firstLine = 2
                offset = UInt64(headerEnd)
            }
            FlowLogParser(schema: schema).parse(
                body, firstLine: firstLine, offsetBase: offset,
                onRecord: { record in context.deliver(flow: &record) },
                onIssue: { location, message in context.issue(location, message) })
        }
        context.flush()
        return .read(kind, records: context.volume.records)
    }

    fileprivate func report(_ issue: LogIssue) {
        statistics.issueCount += 1
        onIssue(issue)
    }

    fileprivate func add(_ volume: ReadStatistics.Volume, to source: DataSource) {
        statistics[source] += volume
    }
}

/// Per-file state the C callbacks reach through their context pointer.
private final class ParseContext {
    unowned let reader: LogReader
    let handler: any LogRecordHandler
    let source: LogSource
    let window: ClosedRange<Timestamp>?
    let dataSource: DataSource
    /// Counts for this file, added to the reader's statistics by ``flush()``.
    var volume = ReadStatistics.Volume()

    init(reader: LogReader, handler: any LogRecordHandler, source: LogSource, dataSource: DataSource,
         window: ClosedRange<Timestamp>?) {
        self.reader = reader
        self.handler = handler
        self.source = source
        self.dataSource = dataSource
        self.window = window
    }

    func issue(_ location: RecordLocation, _ message: String) {
        volume.badRecords += 1
        reader.report(LogIssue(path: source.path, location: location, message: message))
    }

    @inline(__always)
    func inWindow(_ time: Timestamp) -> Bool {
        guard let window else { return true }
        return window.contains(time)
    }

    /// Checks the two fields every JSON record needs — its name and its time — and the window.
    /// Returns the record's fields, location and time when it should be handed on.
    @inline(__always)
    func admit(_ record: UnsafePointer<vj_record>, name: Int, nameKey: StaticString,
               time: Int, timeKey: StaticString) -> (UnsafePointer<RawText>, RecordLocation, Timestamp)? {
        let fields = UnsafeRawPointer(record.pointee.fields!).assumingMemoryBound(to: RawText.self)
        let location = RecordLocation(record.pointee.location)
        guard fields[name].isPresent else {
            issue(location, "\(nameKey) is missing")
            return nil
        }
        guard let timestamp = fields[time].timestamp else {
            issue(location, fields[time].isPresent ? "\(timeKey) is not an ISO-8601 time" : "\(timeKey) is missing")
            return nil
        }
        guard inWindow(timestamp) else {
            volume.outsideWindow += 1
            return nil
        }
        volume.records += 1
        return (fields, location, timestamp)
    }

    func deliver(cloudTrail record: UnsafePointer<vj_record>) {
        guard let (fields, location, time) = admit(record, name: CloudTrailField.eventName.rawValue, nameKey: "eventName",
                                                   time: CloudTrailField.eventTime.rawValue, timeKey: "eventTime") else { return }
        var event = CloudTrailEvent(fields: fields, eventTime: time, location: location)
        handler.handle(&event, source: source)
    }

    func deliver(resolver record: UnsafePointer<vj_record>) {
        guard let (fields, location, time) = admit(record, name: ResolverField.queryName.rawValue, nameKey: "query_name",
                                                   time: ResolverField.queryTimestamp.rawValue, timeKey: "query_timestamp") else { return }
        var query = ResolverQuery(fields: fields, queryTimestamp: time, location: location)
        handler.handle(&query, source: source)
    }

    @inline(__always)
    func deliver(flow record: inout FlowRecord) {
        if record.logStatus == .skipData { volume.skipDataRecords += 1 }
        if window != nil, let time = record.eventTime, !inWindow(time) {
            volume.outsideWindow += 1
            return
        }
        volume.records += 1
        handler.handle(&record, source: source)
    }

    /// Adds this file's counts to the reader's statistics.
    func flush() {
        reader.add(volume, to: dataSource)
    }
}

extension RecordLocation {
    init(_ location: vj_location) {
        if location.record == UInt64.max {
            self = .wholeFile
        } else {
            self.init(record: location.record, line: location.line == 0 ? nil : location.line, offset: location.offset)
        }
    }
}

private let cloudTrailCallback: vj_record_callback = { context, record in
    let c = Unmanaged<ParseContext>.fromOpaque(context!).takeUnretainedValue()
    c.deliver(cloudTrail: record!)
    return 0
}

private let resolverCallback: vj_record_callback = { context, record in
    let c = Unmanaged<ParseContext>.fromOpaque(context!).takeUnretainedValue()
    c.deliver(resolver: record!)
    return 0
}

private let errorCallback: vj_error_callback = { context, location, message in
    let c = Unmanaged<ParseContext>.fromOpaque(context!).takeUnretainedValue()
    c.issue(RecordLocation(location), message.map { String(cString: $0) } ?? "malformed record")
}
