import VigilModel

/// What a reader has read: the usage figures GuardDuty bills on, and what it could not read.
public struct ReadStatistics: Sendable, Equatable {
    /// Volume read from one data source.
    public struct Volume: Sendable, Equatable {
        public var files: Int = 0
        /// Records handed to detectors.
        public var records: UInt64 = 0
        /// Bytes of log text (after inflating).
        public var bytes: UInt64 = 0
        /// Bytes as stored (before inflating).
        public var storedBytes: UInt64 = 0
        /// Records that could not be read.
        public var badRecords: UInt64 = 0
        /// Records outside the requested event-time window.
        public var outsideWindow: UInt64 = 0
        /// `SKIPDATA` flow-log records: windows where AWS itself dropped records.
        public var skipDataRecords: UInt64 = 0

        public init() {}

        public static func += (lhs: inout Volume, rhs: Volume) {
            lhs.files += rhs.files
            lhs.records += rhs.records
            lhs.bytes += rhs.bytes
            lhs.storedBytes += rhs.storedBytes
            lhs.badRecords += rhs.badRecords
            lhs.outsideWindow += rhs.outsideWindow
            lhs.skipDataRecords += rhs.skipDataRecords
        }

        /// What was read since `earlier` (a snapshot of the same reader's figures).
        public func subtracting(_ earlier: Volume) -> Volume {
            var v = Volume()
            v.files = files - earlier.files
            v.records = records - earlier.records
            v.bytes = bytes - earlier.bytes
            v.storedBytes = storedBytes - earlier.storedBytes
            v.badRecords = badRecords - earlier.badRecords
            v.outsideWindow = outsideWindow - earlier.outsideWindow
            v.skipDataRecords = skipDataRecords - earlier.skipDataRecords
            return v
        }
    }

    public var volumes: [DataSource: Volume] = [:]
    /// Files passed over, by reason.
    public var skippedFiles: [SkipReason: Int] = [:]
    /// Files that could not be opened or read.
    public var unreadableFiles: Int = 0
    /// Gzip files that were damaged (what preceded the damage was still read).
    public var damagedFiles: Int = 0
    /// Every problem reported, counted even when not all are kept.
    public var issueCount: UInt64 = 0

    public init() {}

    public subscript(source: DataSource) -> Volume {
        get { volumes[source] ?? Volume() }
        set { volumes[source] = newValue }
    }

    /// The volumes read since `earlier` (a snapshot of the same reader's figures).
    public func subtracting(_ earlier: ReadStatistics) -> ReadStatistics {
        var delta = ReadStatistics()
        for (source, volume) in volumes { delta[source] = volume.subtracting(earlier[source]) }
        delta.issueCount = issueCount - earlier.issueCount
        return delta
    }

    /// Adds another reader's figures (the partitions of one pipeline read apart).
    public static func += (lhs: inout ReadStatistics, rhs: ReadStatistics) {
        for (source, volume) in rhs.volumes { lhs[source] += volume }
        for (reason, count) in rhs.skippedFiles { lhs.skippedFiles[reason, default: 0] += count }
        lhs.unreadableFiles += rhs.unreadableFiles
        lhs.damagedFiles += rhs.damagedFiles
        lhs.issueCount += rhs.issueCount
    }

    public var totalRecords: UInt64 { volumes.values.reduce(0) { $0 + $1.records } }
    public var totalBadRecords: UInt64 { volumes.values.reduce(0) { $0 + $1.badRecords } }
    public var totalBytes: UInt64 { volumes.values.reduce(0) { $0 + $1.bytes } }
}
