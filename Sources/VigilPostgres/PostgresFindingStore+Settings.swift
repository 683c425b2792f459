import Foundation
import PostgresNIO
import VigilModel
import VigilStore

// Detectors, organization administrators, filters, lists, destinations, members, usage and tags:
// small tables, one statement per call.
extension PostgresFindingStore {
    // MARK: Detectors

    static let detectorColumns = "id, accountId, region, status, findingPublishingFrequency, createdAt, updatedAt, settings"

    public func createDetector(_ d: DetectorRecord) throws {
        try session { db in
            try db.run("""
                INSERT INTO detector (id, accountId, region, status, findingPublishingFrequency, createdAt, updatedAt, settings, secondary)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """, [.text(d.id), .text(d.accountId), .text(d.region), .text(d.status.rawValue), .text(d.findingPublishingFrequency),
                      .text(d.createdAt), .text(d.updatedAt), .text(d.settings),
                      .boolean(d.id != StableIdentifier.detector(accountId: d.accountId, region: d.region))])
        }
    }

    public func detector(id: String) throws -> DetectorRecord? {
        try session { db in try db.rows("SELECT \(Self.detectorColumns) FROM detector WHERE id = $1", [.text(id)]).first.map(Self.detector) }
    }

    public func detectors(accountId: String, region: String) throws -> [DetectorRecord] {
        try session { db in
            try db.rows("SELECT \(Self.detectorColumns) FROM detector WHERE accountId = $1 AND region = $2 ORDER BY id",
                        [.text(accountId), .text(region)]).map(Self.detector)
        }
    }

    public func detectorsByAccountRegion() throws -> [String: DetectorRecord] {
        try session { db in
            Dictionary(try db.rows("SELECT \(Self.detectorColumns) FROM detector WHERE NOT secondary").map(Self.detector)
                .map { ("\($0.accountId)/\($0.region)", $0) }, uniquingKeysWith: { a, _ in a })
        }
    }

    public func updateDetector(_ d: DetectorRecord) throws {
        try session { db in
            try db.run("UPDATE detector SET status = $1, findingPublishingFrequency = $2, updatedAt = $3, settings = $4 WHERE id = $5",
                       [.text(d.status.rawValue), .text(d.findingPublishingFrequency), .text(d.updatedAt), .text(d.settings), .text(d.id)])
        }
    }

    public func deleteDetector(id: String) throws {
        try session { db in try db.run("DELETE FROM detector WHERE id = $1", [.text(id)]) }
    }

    static func detector(_ row: PostgresRow) throws -> DetectorRecord {
        let (id, account, region, status, frequency, created, updated, settings) = try row.decode((String, String, String, String, String, String, String, String?).self)
        return DetectorRecord(id: id, accountId: account, region: region, status: DetectorStatus(rawValue: status), findingPublishingFrequency: frequency,
                              createdAt: created, updatedAt: updated, settings: settings)
    }

    // MARK: Organization administrators

    public func setOrganizationAdmin(managementAccountId: String, adminAccountId: String, status: String?) throws {
        try session { db in
            if let status {
                try db.run("""
                    INSERT INTO organizationAdmin (managementAccountId, adminAccountId, status) VALUES ($1, $2, $3)
                    ON CONFLICT (managementAccountId, adminAccountId) DO UPDATE SET status = EXCLUDED.status
                    """, [.text(managementAccountId), .text(adminAccountId), .text(status)])
            } else {
                try db.run("DELETE FROM organizationAdmin WHERE managementAccountId = $1 AND adminAccountId = $2",
                           [.text(managementAccountId), .text(adminAccountId)])
            }
        }
    }

    public func organizationAdmins(managementAccountId: String) throws -> [(adminAccountId: String, status: String)] {
        try session { db in
            try db.rows("SELECT adminAccountId, status FROM organizationAdmin WHERE managementAccountId = $1 ORDER BY adminAccountId",
                        [.text(managementAccountId)]).map { try $0.decode((String, String).self) }
        }
    }

    // MARK: Filters

    public func saveFilter(_ f: FilterRecord) throws {
        try session { db in
            try db.run("""
                INSERT INTO filter (detectorId, name, description, action, rank, criteria) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (detectorId, name) DO UPDATE SET description = EXCLUDED.description, action = EXCLUDED.action,
                    rank = EXCLUDED.rank, criteria = EXCLUDED.criteria
                """, [.text(f.detectorId), .text(f.name), .text(f.description), .text(f.action), .integer(f.rank), .text(f.criteria)])
        }
    }

    public func filter(detectorId: String, name: String) throws -> FilterRecord? {
        try session { db in
            try db.rows("SELECT detectorId, name, description, action, rank, criteria FROM filter WHERE detectorId = $1 AND name = $2",
                        [.text(detectorId), .text(name)]).first.map(Self.filter)
        }
    }

    public func filters(detectorId: String) throws -> [FilterRecord] {
        try session { db in
            try db.rows("SELECT detectorId, name, description, action, rank, criteria FROM filter WHERE detectorId = $1 ORDER BY rank, name",
                        [.text(detectorId)]).map(Self.filter)
        }
    }

    public func deleteFilter(detectorId: String, name: String) throws {
        try session { db in try db.run("DELETE FROM filter WHERE detectorId = $1 AND name = $2", [.text(detectorId), .text(name)]) }
    }

    static func filter(_ row: PostgresRow) throws -> FilterRecord {
        let (detector, name, description, action, rank, criteria) = try row.decode((String, String, String?, String, Int, String).self)
        return FilterRecord(detectorId: detector, name: name, description: description, action: action, rank: rank, criteria: criteria)
    }

    // MARK: Intel sets

    static let intelSetColumns = "kind, id, detectorId, name, format, location, status, errorDetails, createdAt, updatedAt"

    public func saveIntelSet(_ set: IntelSetRecord) throws {
        try session { db in
            try db.run("""
                INSERT INTO intelSet (kind, id, detectorId, name, format, location, status, errorDetails, createdAt, updatedAt)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, format = EXCLUDED.format, location = EXCLUDED.location,
                    status = EXCLUDED.status, errorDetails = EXCLUDED.errorDetails, updatedAt = EXCLUDED.updatedAt
                """, [.text(set.kind), .text(set.id), .text(set.detectorId), .text(set.name), .text(set.format), .text(set.location),
                      .text(set.status.rawValue), .text(set.errorDetails), .text(set.createdAt), .text(set.updatedAt)])
        }
    }

    public func intelSet(id: String) throws -> IntelSetRecord? {
        try session { db in try db.rows("SELECT \(Self.intelSetColumns) FROM intelSet WHERE id = $1", [.text(id)]).first.map(Self.intelSet) }
    }

    public func intelSets(detectorId: String?) throws -> [IntelSetRecord] {
        try session { db in
            if let detectorId {
                return try db.rows("SELECT \(Self.intelSetColumns) FROM intelSet WHERE detectorId = $1 ORDER BY createdAt, id", [.text(detectorId)]).map(Self.intelSet)
            }
            return try db.rows("SELECT \(Self.intelSetColumns) FROM intelSet ORDER BY createdAt, id").map(Self.intelSet)
        }
    }

    public func deleteIntelSet(id: String) throws {
        try session { db in try db.run("DELETE FROM intelSet WHERE id = $1", [.text(id)]) }
    }

    static func intelSet(_ row: PostgresRow) throws -> IntelSetRecord {
        let (kind, id, detector, name, format, location, status, error, created, updated) =
            try row.decode((String, String, String, String, String, String, String, String?, String, String).self)
        return IntelSetRecord(kind: kind, id: id, detectorId: detector, name: name, format: format, location: location,
                              status: ListStatus(rawValue: status), errorDetails: error, createdAt: created, updatedAt: updated)
    }

    // MARK: Destinations

    public func saveDestination(_ d: DestinationRecord) throws {
        try session { db in
            try db.run("""
                INSERT INTO destination (id, detectorId, destinationArn, kmsKeyArn, status) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (id) DO UPDATE SET destinationArn = EXCLUDED.destinationArn, kmsKeyArn = EXCLUDED.kmsKeyArn, status = EXCLUDED.status
                """, [.text(d.id), .text(d.detectorId), .text(d.destinationArn), .text(d.kmsKeyArn), .text(d.status.rawValue)])
        }
    }

    public func destination(id: String) throws -> DestinationRecord? {
        try session { db in
            try db.rows("SELECT id, detectorId, destinationArn, kmsKeyArn, status FROM destination WHERE id = $1", [.text(id)]).first.map(Self.destination)
        }
    }

    public func destinations(detectorId: String?) throws -> [DestinationRecord] {
        try session { db in
            if let detectorId {
                return try db.rows("SELECT id, detectorId, destinationArn, kmsKeyArn, status FROM destination WHERE detectorId = $1 ORDER BY id",
                                   [.text(detectorId)]).map(Self.destination)
            }
            return try db.rows("SELECT id, detectorId, destinationArn, kmsKeyArn, status FROM destination ORDER BY id").map(Self.destination)
        }
    }

    public func deleteDestination(id: String) throws {
        try session { db in try db.run("DELETE FROM destination WHERE id = $1", [.text(id)]) }
    }

    static func destination(_ row: PostgresRow) throws -> DestinationRecord {
        let (id, detector, arn, key, status) = try row.decode((String, String, String, String?, String).self)
        return DestinationRecord(id: id, detectorId: detector, destinationArn: arn, kmsKeyArn: key, status: PublishingStatus(rawValue: status))
    }

    // MARK: Members

    static let membershipColumns = "administrator, member, email, status, invitationId, invitedAt, updatedAt"

    public func saveMembership(_ m: Membership) throws {
        try session { db in
            try db.run("""
                INSERT INTO membership (administrator, member, email, status, invitationId, invitedAt, updatedAt) VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (administrator, member) DO UPDATE SET email = EXCLUDED.email, status = EXCLUDED.status,
                    invitationId = EXCLUDED.invitationId, invitedAt = EXCLUDED.invitedAt, updatedAt = EXCLUDED.updatedAt
                """, [.text(m.administrator), .text(m.member), .text(m.email), .text(m.status.rawValue), .text(m.invitationId),
                      .text(m.invitedAt), .text(m.updatedAt)])
        }
    }

    public func membership(administrator: String, member: String) throws -> Membership? {
        try session { db in
            try db.rows("SELECT \(Self.membershipColumns) FROM membership WHERE administrator = $1 AND member = $2",
                        [.text(administrator), .text(member)]).first.map(Self.membership)
        }
    }

    public func memberships(administrator: String) throws -> [Membership] {
        try session { db in
            try db.rows("SELECT \(Self.membershipColumns) FROM membership WHERE administrator = $1 ORDER BY member", [.text(administrator)]).map(Self.membership)
        }
    }

    public func memberships(member: String) throws -> [Membership] {
        try session { db in
            try db.rows("SELECT \(Self.membershipColumns) FROM membership WHERE member = $1 ORDER BY administrator", [.text(member)]).map(Self.membership)
        }
    }

    public func deleteMembership(administrator: String, member: String) throws {
        try session { db in try db.run("DELETE FROM membership WHERE administrator = $1 AND member = $2", [.text(administrator), .text(member)]) }
    }

    static func membership(_ row: PostgresRow) throws -> Membership {
        let (administrator, member, email, status, invitation, invited, updated) =
            try row.decode((String, String, String, String, String?, String?, String).self)
        return Membership(administrator: administrator, member: member, email: email, status: RelationshipStatus(rawValue: status),
                          invitationId: invitation, invitedAt: invited, updatedAt: updated)
    }

    // MARK: Usage and tags

    public func usage(accountId: String) throws -> [UsageRecord] {
        try session { db in
            try db.rows("SELECT accountId, dataSource, records, bytes FROM usage WHERE accountId = $1 ORDER BY dataSource", [.text(accountId)]).map { row in
                let (account, source, records, bytes) = try row.decode((String, String, Int, Int).self)
                return UsageRecord(accountId: account, dataSource: source, records: Int64(records), bytes: Int64(bytes))
            }
        }
    }

    public func usageByResource(accountId: String) throws -> [UsageRecord] {
        try session { db in
            try db.rows("""
                SELECT accountId, dataSource, resource, records, bytes, lastAnalysedAt FROM usageResource WHERE accountId = $1 ORDER BY bytes DESC, resource
                """, [.text(accountId)]).map { row in
                let (account, source, resource, records, bytes, last) = try row.decode((String, String, String, Int, Int, Double?).self)
                return UsageRecord(accountId: account, dataSource: source, resource: resource, records: Int64(records), bytes: Int64(bytes), lastAnalysedAt: last)
            }
        }
    }

    public func tags(resourceArn: String) throws -> [String: String] {
        try session { db in
            let text = try db.rows("SELECT tags FROM resourceTag WHERE resourceArn = $1", [.text(resourceArn)]).first.map { try $0.decode(String.self) } ?? "{}"
            return (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
        }
    }

    public func setTags(_ tags: [String: String], resourceArn: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = (try? encoder.encode(tags)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        try session { db in
            try db.run("INSERT INTO resourceTag (resourceArn, tags) VALUES ($1, $2) ON CONFLICT (resourceArn) DO UPDATE SET tags = EXCLUDED.tags",
                       [.text(resourceArn), .text(text)])
        }
    }
}
