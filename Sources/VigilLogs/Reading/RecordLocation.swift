/// Where a record is: its file and its place in the file.
public struct RecordLocation: Hashable, Sendable, CustomStringConvertible {
    /// 0-based ordinal of the record in its file, or `nil` for a problem with the whole file.
    public var record: UInt64?
    /// 1-based line number in line-oriented files; `nil` inside a `{"Records":[…]}` document.
    public var line: UInt64?
    /// Byte offset of the record in the (inflated) file.
    public var offset: UInt64?

    public init(record: UInt64?, line: UInt64?, offset: UInt64?) {
        self.record = record
        self.line = line
        self.offset = offset
    }

    public static let wholeFile = RecordLocation(record: nil, line: nil, offset: nil)

    /// `line 12`, `Records[3] (byte 4567)`, or `file`.
    public var description: String {
        if let line { return "line \(line)" }
        if let record {
            if let offset { return "Records[\(record)] (byte \(offset))" }
            return "record \(record)"
        }
        return "file"
    }
}

/// A problem with one record or file. The rest of the file is still read.
public struct LogIssue: Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var location: RecordLocation
    public var message: String

    public init(path: String, location: RecordLocation, message: String) {
        self.path = path
        self.location = location
        self.message = message
    }

    /// `path:line 12: eventTime is not a string`.
    public var description: String { "\(path):\(location): \(message)" }
}
