import VigilModel

/// The position of a source in ``LogSources/all``.
public struct LogSourceIndex: Hashable, Sendable, Comparable {
    public let rawValue: Int

    public static func < (a: LogSourceIndex, b: LogSourceIndex) -> Bool { a.rawValue < b.rawValue }
}

/// Every log source Vigil reads, in the order they are asked to recognise a file.
public enum LogSources {
    /// The sources; a source's index is its position here.
    public static let all: [any LogSourceDescriptor] = [CloudTrailSource(), ResolverQuerySource(), FlowLogSource()]

    /// The source at `index`.
    public static subscript(index: LogSourceIndex) -> any LogSourceDescriptor { all[index.rawValue] }

    /// The index of the source whose records are `dataSource`.
    public static func index(of dataSource: DataSource) -> LogSourceIndex? {
        all.firstIndex { $0.dataSource == dataSource }.map { LogSourceIndex(rawValue: $0) }
    }

    /// The source whose S3 layout folder is `service`.
    public static func source(for service: S3LogPath.Service) -> (any LogSourceDescriptor)? {
        all.first { $0.s3Services.contains(service) }
    }

    /// Asks each source in turn what `file` is; the first that knows it answers.
    static func recognise(_ file: FileHead) -> Result<LogKind, SkipReason> {
        for source in all {
            switch source.recognise(file) {
            case .records(let kind)?: return .success(kind)
            case .skip(let reason)?: return .failure(reason)
            case nil: continue
            }
        }
        return .failure(.unrecognised)
    }
}
