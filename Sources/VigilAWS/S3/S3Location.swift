/// A place in S3 named as the aws CLI names it: `s3://BUCKET/PREFIX`.
public struct S3Location: Sendable, Hashable, CustomStringConvertible {
    public var bucket: String
    /// The key prefix, without a leading `/` (may be empty: the whole bucket).
    public var prefix: String

    public init(bucket: String, prefix: String) {
        self.bucket = bucket
        self.prefix = prefix
    }

    /// `s3://bucket/prefix`; `nil` for anything else, or a bucket name S3 would refuse.
    public init?(_ text: String) {
        guard text.hasPrefix("s3://") else { return nil }
        let rest = text.dropFirst("s3://".count)
        let bucket = rest.prefix { $0 != "/" }
        guard (3...63).contains(bucket.count),
              bucket.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2E }) else { return nil }
        self.bucket = String(bucket)
        prefix = String(rest.dropFirst(bucket.count).drop { $0 == "/" })
    }

    /// Whether `text` names an S3 location (`s3://…`), well-formed or not.
    public static func isS3(_ text: String) -> Bool { text.hasPrefix("s3://") }

    /// The name of an object of this bucket in reports: `s3://bucket/key`.
    public func name(of key: String) -> String { "s3://\(bucket)/\(key)" }

    public var description: String { "s3://\(bucket)/\(prefix)" }
}
