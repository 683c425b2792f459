import VigilModel

/// One Route 53 Resolver query-log record, as views of its fields in the log buffer.
///
/// Valid only during the callback that hands it out. `answers` is the JSON text of the array.
public struct ResolverQuery: @unchecked Sendable {
    @usableFromInline let fields: UnsafePointer<RawText>
    public let queryTimestamp: Timestamp
    public let location: RecordLocation

    @inlinable
    init(fields: UnsafePointer<RawText>, queryTimestamp: Timestamp, location: RecordLocation) {
        self.fields = fields
        self.queryTimestamp = queryTimestamp
        self.location = location
    }

    @inlinable public subscript(field: ResolverField) -> RawText { fields[field.rawValue] }

    @inlinable public var accountId: RawText { self[.accountId] }
    @inlinable public var region: RawText { self[.region] }
    @inlinable public var vpcId: RawText { self[.vpcId] }
    /// The name queried, with its trailing dot, as logged.
    @inlinable public var queryName: RawText { self[.queryName] }
    @inlinable public var queryType: RawText { self[.queryType] }
    @inlinable public var rcode: RawText { self[.rcode] }
    @inlinable public var answers: RawText { self[.answers] }
    @inlinable public var sourceAddress: IPAddress? { self[.srcaddr].ipAddress }
    @inlinable public var instanceId: RawText { self[.instance] }
    @inlinable public var transport: RawText { self[.transport] }
    @inlinable public var firewallRuleAction: RawText { self[.firewallRuleAction] }
}

extension ResolverQuery: LogRecord {
    public static var dataSource: DataSource { .dns }

    /// The `account_id` field, else the S3 key's account.
    @inlinable public func account(in source: LogSource) -> AccountID {
        AccountID(bytes: accountId.bytes) ?? source.account ?? .unknown
    }

    /// The `region` field, else `us-east-1` (Resolver logs' S3 keys name the VPC, not the region).
    public func region(in source: LogSource) -> String {
        region.string ?? "us-east-1"
    }
}
