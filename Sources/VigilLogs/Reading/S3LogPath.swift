import VigilModel

/// What an object key in AWS's S3 log layout says about its file.
///
/// Understands `…/AWSLogs/[o-org/]<account>/<service>/<region or vpc>/YYYY/MM/DD/…` and the
/// Hive-compatible form `…/AWSLogs/aws-account-id=<acct>/aws-service=<service>/aws-region=<region>/…`.
public struct S3LogPath: Hashable, Sendable {
    public enum Service: String, Sendable {
        case cloudTrail = "CloudTrail"
        case cloudTrailDigest = "CloudTrail-Digest"
        case cloudTrailInsight = "CloudTrail-Insight"
        case vpcFlowLogs = "vpcflowlogs"
        case resolverQueryLogs = "vpcdnsquerylogs"
    }

    public var organizationId: String?
    public var accountId: String
    public var service: Service
    /// The region for CloudTrail and flow logs.
    public var region: String?
    /// The VPC for Resolver query logs.
    public var vpcId: String?

    /// The account the key names, when it is twelve digits (the partition and shard key of every
    /// record read from the file).
    public var account: AccountID? { AccountID(accountId) }

    /// Parses `path`; `nil` when it is not in the S3 log layout.
    public init?(path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let root = parts.lastIndex(of: "AWSLogs"), root + 2 < parts.count else { return nil }
        var i = root + 1
        var org: String?
        var account: String?
        var serviceName: String?
        var place: String?
        if parts[i].hasPrefix("aws-account-id=") {
            account = String(parts[i].dropFirst("aws-account-id=".count))
            for part in parts[(i + 1)...] {
                if part.hasPrefix("aws-service=") { serviceName = String(part.dropFirst("aws-service=".count)) }
                if part.hasPrefix("aws-region=") { place = String(part.dropFirst("aws-region=".count)) }
            }
        } else {
            if parts[i].hasPrefix("o-") {
                org = String(parts[i])
                i += 1
            }
            guard i + 1 < parts.count else { return nil }
            account = String(parts[i])
            serviceName = String(parts[i + 1])
            if i + 2 < parts.count - 1 { place = String(parts[i + 2]) }
        }
        guard let account, account.count == 12, account.allSatisfy(\.isASCII), account.allSatisfy(\.isNumber),
              let serviceName, let service = Service(rawValue: serviceName) else { return nil }
        self.organizationId = org
        self.accountId = account
        self.service = service
        if service == .resolverQueryLogs { self.vpcId = place } else { self.region = place }
    }
}
