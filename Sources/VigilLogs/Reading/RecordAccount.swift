import VigilModel

// The account and region each kind of record belongs to — one rule for every reader of records
// (the engine keeping accounts apart, the detectors filling findings): the record's own field when
// it holds an account ID (twelve digits), else the account of the file's S3 key, else
// ``AccountID/unknown``; the record's region, else the S3 key's.

extension CloudTrailEvent {
    /// `recipientAccountId`, else `userIdentity.accountId`, else the S3 key's account.
    @inlinable public func account(in source: LogSource) -> AccountID {
        AccountID(bytes: accountId.bytes) ?? source.account ?? .unknown
    }

    /// `awsRegion`, else the S3 key's region, else `us-east-1`.
    public func region(in source: LogSource) -> String {
        awsRegion.string ?? source.layout?.region ?? "us-east-1"
    }
}

extension FlowRecord {
    /// The `account-id` field (the interface's owner), else the S3 key's account.
    @inlinable public func account(in source: LogSource) -> AccountID {
        AccountID(bytes: accountId.bytes) ?? source.account ?? .unknown
    }

    /// The `region` field (version 5), else the S3 key's region, else `us-east-1`.
    public func region(in source: LogSource) -> String {
        region.string ?? source.layout?.region ?? "us-east-1"
    }
}

extension ResolverQuery {
    /// The `account_id` field, else the S3 key's account.
    @inlinable public func account(in source: LogSource) -> AccountID {
        AccountID(bytes: accountId.bytes) ?? source.account ?? .unknown
    }

    /// The `region` field, else `us-east-1` (Resolver logs' S3 keys name the VPC, not the region).
    public func region(in source: LogSource) -> String {
        region.string ?? "us-east-1"
    }
}
