import Foundation
import VigilModel

/// A GuardDuty detector: one per account and region.
public struct DetectorRecord: Sendable, Equatable {
    public var id: String
    public var accountId: String
    public var region: String
    /// `ENABLED` or `DISABLED`.
    public var status: String
    /// `FIFTEEN_MINUTES`, `ONE_HOUR` or `SIX_HOURS`.
    public var findingPublishingFrequency: String
    public var createdAt: String
    public var updatedAt: String

    public init(id: String, accountId: String, region: String, status: String, findingPublishingFrequency: String,
                createdAt: String, updatedAt: String) {
        self.id = id
        self.accountId = accountId
        self.region = region
        self.status = status
        self.findingPublishingFrequency = findingPublishingFrequency
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Where Vigil keeps what must survive a restart: detectors, findings and ingestion checkpoints.
///
/// Findings are merged by ID: the same activity seen again (in a later file, after a restart)
/// raises the stored finding's `count` and moves its `eventLastSeen`, never duplicates it. The
/// store sits behind this protocol so that PostgreSQL can follow SQLite.
public protocol FindingStore: Sendable {
    // Detectors
    func createDetector(_ detector: DetectorRecord) throws
    func detector(id: String) throws -> DetectorRecord?
    func detectors(accountId: String, region: String) throws -> [DetectorRecord]
    func updateDetector(_ detector: DetectorRecord) throws
    func deleteDetector(id: String) throws

    // Findings
    /// Adds findings, merging each with a stored one of the same ID.
    func merge(_ findings: [Finding]) throws
    /// The findings of an account and region, with their archived flag set in `service.archived`.
    func findings(accountId: String, region: String) throws -> [Finding]
    func findings(ids: [String], accountId: String) throws -> [Finding]
    /// The findings a selection holds (for criteria the store cannot evaluate itself).
    func findings(_ selection: FindingSelection) throws -> [Finding]
    /// At most `limit` of the findings a selection holds.
    func findings(_ selection: FindingSelection, limit: Int) throws -> [Finding]
    /// One page of the IDs a selection holds, ordered by `column` (then by ID), and how many it holds.
    func findingIds(_ selection: FindingSelection, orderBy column: FindingSelection.Column, descending: Bool,
                    limit: Int, offset: Int) throws -> (ids: [String], total: Int)
    /// The findings of a selection counted in groups: each group's key, size and latest update.
    func findingGroups(_ selection: FindingSelection, by grouping: FindingSelection.Grouping) throws -> [(key: String, count: Int, last: String)]
    /// Marks findings archived or not; returns how many were changed.
    @discardableResult
    func setArchived(_ archived: Bool, ids: [String], accountId: String) throws -> Int
    /// Deletes findings Vigil last stored (raised or updated) before `cutoff` — wall-clock time, so
    /// that findings from replayed old logs live their full retention period; returns how many.
    @discardableResult
    func deleteFindings(storedBefore cutoff: Date) throws -> Int

    /// Merges findings and records the files they came from as analysed, in one transaction, so
    /// that a crash leaves either both or neither (nothing is counted twice after a restart).
    func commit(_ findings: [Finding], analysed files: [AnalysedFile], usage: [UsageRecord]) throws

    /// ``commit(_:analysed:usage:)`` that also archives the findings in `archive` (suppression
    /// rules) and, with `publication`, puts an event for each new finding that is not archived
    /// into the outbox, marks updated ones as due for publication, and replaces the learned state
    /// of the detectors named in `learned` — all in one transaction.
    func commit(_ findings: [Finding], analysed files: [AnalysedFile], usage: [UsageRecord], archive: Set<String>,
                publication: Publication?, learned: [String: Data]) throws

    /// The learned state of each detector that saved one (baselines, models), by
    /// `<account>/<detector name>`: every account's detectors learn apart.
    func learnedStates() throws -> [String: Data]
    /// One account's learned states, by detector name.
    func learnedStates(accountId: String) throws -> [String: Data]

    // Event delivery (the outbox)
    /// Queues an event for every updated, unarchived finding whose last publication is at least
    /// its detector's publishing interval old (`interval(accountId, region)`, seconds). Returns how many.
    @discardableResult
    func enqueueDueUpdates(_ publication: Publication, interval: (String, String) -> TimeInterval) throws -> Int
    /// Outbox items due for an attempt.
    func dueDeliveries(now: Date, limit: Int) throws -> [OutboxItem]
    func delivered(_ id: Int64) throws
    func deliveryFailed(_ id: Int64, nextAttempt: Date) throws
    func outboxCount() throws -> Int

    /// Volume analysed, summed per account and data source.
    func usage(accountId: String) throws -> [UsageRecord]
    /// Volume analysed per account, data source and log source (``UsageRecord/resource``).
    func usageByResource(accountId: String) throws -> [UsageRecord]

    // Ingestion checkpoints
    /// The size (bytes read so far) and modification time the file had when it was last analysed;
    /// checkpoints are written by ``commit(_:analysed:usage:)``.
    func checkpoint(path: String) throws -> AnalysedFile?

    // Filters
    func saveFilter(_ filter: FilterRecord) throws
    func filter(detectorId: String, name: String) throws -> FilterRecord?
    /// A detector's filters by rank, then name.
    func filters(detectorId: String) throws -> [FilterRecord]
    func deleteFilter(detectorId: String, name: String) throws

    // Feedback
    /// Records `USEFUL` or `NOT_USEFUL` on findings and applies the feedback rule to them;
    /// returns how many were changed.
    @discardableResult
    func setFeedback(_ feedback: String, ids: [String], accountId: String) throws -> Int

    // Threat and trusted lists (IPSet, ThreatIntelSet, ThreatEntitySet, TrustedEntitySet)
    func saveIntelSet(_ set: IntelSetRecord) throws
    func intelSet(id: String) throws -> IntelSetRecord?
    func intelSets(detectorId: String?) throws -> [IntelSetRecord]
    func deleteIntelSet(id: String) throws

    // Publishing destinations
    func saveDestination(_ destination: DestinationRecord) throws
    func destination(id: String) throws -> DestinationRecord?
    func destinations(detectorId: String?) throws -> [DestinationRecord]
    func deleteDestination(id: String) throws

    // Administrator and member accounts
    func saveMembership(_ membership: Membership) throws
    func membership(administrator: String, member: String) throws -> Membership?
    /// An administrator's members, or a member's administrators (invitations included).
    func memberships(administrator: String) throws -> [Membership]
    func memberships(member: String) throws -> [Membership]
    func deleteMembership(administrator: String, member: String) throws

    // Tags of detectors, filters and lists, by ARN
    func tags(resourceArn: String) throws -> [String: String]
    func setTags(_ tags: [String: String], resourceArn: String) throws

    /// Removes everything (test mode's reset).
    func reset() throws
}

/// A file whose records have been analysed: its path, size and modification time then.
public struct AnalysedFile: Sendable, Equatable {
    public var path: String
    public var size: Int64
    public var modified: Double
    public init(path: String, size: Int64, modified: Double) {
        self.path = path
        self.size = size
        self.modified = modified
    }
}

/// A saved filter; with action `ARCHIVE` it is a suppression rule: findings it matches are
/// archived as they arrive.
public struct FilterRecord: Sendable, Equatable {
    public var detectorId: String
    public var name: String
    public var description: String?
    /// `NOOP` or `ARCHIVE`.
    public var action: String
    public var rank: Int
    /// The `findingCriteria` object as JSON text.
    public var criteria: String
    public init(detectorId: String, name: String, description: String?, action: String, rank: Int, criteria: String) {
        self.detectorId = detectorId
        self.name = name
        self.description = description
        self.action = action
        self.rank = rank
        self.criteria = criteria
    }
}

/// What user feedback does to a finding and to later sightings of the same activity (the same
/// finding ID: account, region, type, resource and actor).
///
/// `NOT_USEFUL` lowers the finding one severity band — High to Medium (5.0), Medium to Low
/// (2.0) — and a Low finding is archived; later sightings keep adding to its count but can raise
/// its severity no higher than that. `USEFUL` restores the severity the detectors gave and keeps it.
public enum FeedbackRule {
    public static func demoted(_ severity: Double) -> (severity: Double, archive: Bool) {
        switch severity {
        case 7...: return (5.0, false)
        case 4..<7: return (2.0, false)
        default: return (severity, true)
        }
    }
}

/// Volume analysed for one account and data source (`CLOUD_TRAIL`, `FLOW_LOGS`, `DNS_LOGS`).
public struct UsageRecord: Sendable, Equatable {
    public var accountId: String
    public var dataSource: String
    /// The log source the volume came from (a flow log `fl-…`, a VPC's Resolver logs, a
    /// region's CloudTrail), or empty in per-source sums.
    public var resource: String
    public var records: Int64
    public var bytes: Int64
    public init(accountId: String, dataSource: String, resource: String = "", records: Int64, bytes: Int64) {
        self.accountId = accountId
        self.dataSource = dataSource
        self.resource = resource
        self.records = records
        self.bytes = bytes
    }
}

/// A threat or trusted list registered through the API: where it is (`location`), its format,
/// and whether it is in use.
public struct IntelSetRecord: Sendable, Equatable {
    /// `ipset`, `threatintelset`, `threatentityset` or `trustedentityset` (the API path segment).
    public var kind: String
    public var id: String
    public var detectorId: String
    public var name: String
    public var format: String
    public var location: String
    /// `ACTIVE`, `INACTIVE` or `ERROR`.
    public var status: String
    public var errorDetails: String?
    public var createdAt: String
    public var updatedAt: String
    public init(kind: String, id: String, detectorId: String, name: String, format: String, location: String, status: String,
                errorDetails: String?, createdAt: String, updatedAt: String) {
        self.kind = kind
        self.id = id
        self.detectorId = detectorId
        self.name = name
        self.format = format
        self.location = location
        self.status = status
        self.errorDetails = errorDetails
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// How findings are published as they are stored: to which targets, and in what envelope.
public struct Publication: Sendable {
    /// A finding's targets (`webhook:0`, `file:/var/log/vigil/findings.jsonl`, `export:/folder`); one outbox item each.
    public var targets: @Sendable (Finding) -> [String]
    public var now: Date
    /// The event body for a finding (the EventBridge envelope).
    public var envelope: @Sendable (Finding) -> String
    public init(targets: @escaping @Sendable (Finding) -> [String], now: Date, envelope: @escaping @Sendable (Finding) -> String) {
        self.targets = targets
        self.now = now
        self.envelope = envelope
    }

    /// The same targets for every finding.
    public init(targets: [String], now: Date, envelope: @escaping @Sendable (Finding) -> String) {
        self.init(targets: { _ in targets }, now: now, envelope: envelope)
    }
}

/// A publishing destination: findings of its detector exported as JSON lines into a folder laid
/// out like GuardDuty's S3 export (`AWSLogs/<account>/GuardDuty/<region>/<yyyy>/<mm>/<dd>/`).
public struct DestinationRecord: Sendable, Equatable {
    public var id: String
    public var detectorId: String
    /// `arn:aws:s3:::bucket/prefix` (exported under the data folder's `exports/bucket/prefix`, ready
    /// for `aws s3 sync`) or `file:///folder`.
    public var destinationArn: String
    public var kmsKeyArn: String?
    /// `PUBLISHING`, `UNABLE_TO_PUBLISH_FIX_DESTINATION_PROPERTY` or `STOPPED`.
    public var status: String
    public init(id: String, detectorId: String, destinationArn: String, kmsKeyArn: String?, status: String) {
        self.id = id
        self.detectorId = detectorId
        self.destinationArn = destinationArn
        self.kmsKeyArn = kmsKeyArn
        self.status = status
    }
}

/// An event waiting to be delivered to one target.
public struct OutboxItem: Sendable, Equatable {
    public var id: Int64
    public var target: String
    public var body: String
    public var attempts: Int
}

/// One administrator–member relationship. `status` is GuardDuty's relationship status:
/// `Created`, `Invited`, `Enabled` (the administrator sees the member's findings), `Removed`
/// (the administrator disassociated it) or `Resigned` (the member left).
public struct Membership: Sendable, Equatable {
    public var administrator: String
    public var member: String
    public var email: String
    public var status: String
    public var invitationId: String?
    public var invitedAt: String?
    public var updatedAt: String
    public init(administrator: String, member: String, email: String, status: String, invitationId: String?, invitedAt: String?, updatedAt: String) {
        self.administrator = administrator
        self.member = member
        self.email = email
        self.status = status
        self.invitationId = invitationId
        self.invitedAt = invitedAt
        self.updatedAt = updatedAt
    }
}
