import VigilModel

/// One kind of log Vigil reads, described in one place: how its files are recognised, what usage
/// statistics and findings call its records, and where it lives in AWS's S3 layout. The registry
/// (``LogSources``) holds one of each; readers, the engine and statistics keep their tables by the
/// source's ``LogSourceIndex``, never by name.
///
/// Adding a source: a folder with its record type (a ``LogRecord``), its parser and its descriptor;
/// the descriptor's entry in ``LogSources/all``; the formats it is read in as ``LogKind`` cases and
/// their parse in ``LogReader``; and, in the engine, its detectors' protocol and route. Everything
/// that only passes records along (partitions, cluster handovers, usage) works on ``LogRecord``.
public protocol LogSourceDescriptor: Sendable {
    /// How people call it, in messages and the console (`CloudTrail management events`).
    var name: String { get }
    /// What usage statistics and findings call its records.
    var dataSource: DataSource { get }
    /// The service folders of AWS's S3 layout that hold its files (`AWSLogs/<account>/<service>/…`).
    var s3Services: Set<S3LogPath.Service> { get }
    /// What the beginning of a file says, if the file is this source's: a kind of file to read, or
    /// a reason to pass it over; `nil` when the file is not this source's.
    func recognise(_ file: FileHead) -> Recognition?
}

/// What a ``LogSourceDescriptor`` makes of a file.
public enum Recognition: Sendable, Equatable {
    /// Records to read, as `LogKind`.
    case records(LogKind)
    /// This source's file, without records to analyse (a digest, Insights events).
    case skip(SkipReason)
}

/// The beginning of a file, as sources recognise it.
public struct FileHead {
    /// The file's path or S3 key.
    public let path: String
    /// What the path says in AWS's S3 layout, if it follows it.
    public let layout: S3LogPath?
    /// Up to 8 KiB of the content, from its first byte that is not white space.
    public let head: UnsafeRawBufferPointer
    /// The first line of `head`.
    public let firstLine: UnsafeRawBufferPointer

    /// Whether `head` holds `needle`.
    public func headContains(_ needle: StaticString) -> Bool { LogSniffer.find(head, needle) != nil }
    /// Whether the first line holds `needle`.
    public func firstLineContains(_ needle: StaticString) -> Bool { LogSniffer.find(firstLine, needle) != nil }
}
