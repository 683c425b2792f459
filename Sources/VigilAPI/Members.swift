import Foundation
import VigilModel
import VigilStore

/// GuardDuty's administrator and member accounts: an administrator adds accounts as members and
/// invites them; a member that accepts is `Enabled`, and from then on the administrator's
/// detector sees — lists, reads, counts, archives — the member's findings as well as its own.
extension GuardDutyAPI {
    /// The accounts whose findings a detector sees: its own, and its enabled members'.
    func visibleAccounts(_ detector: DetectorRecord) throws -> [String] {
        [detector.accountId] + (try store.memberships(administrator: detector.accountId)).filter { $0.status == .enabled }.map(\.member)
    }

    func members(_ method: String, _ detector: DetectorRecord, action: String?, _ body: [String: Any], query: [String: String]) throws -> APIResponse {
        let stamp = self.stamp()
        let admin = detector.accountId
        func accountIds() throws -> [String] {
            guard let ids = body["accountIds"] as? [String], !ids.isEmpty, ids.count <= 50 else {
                throw APIError.badRequest("The request is rejected because accountIds must hold 1 to 50 account IDs.")
            }
            return ids
        }
        func unprocessed(_ list: [(String, String)]) -> [[String: String]] { list.map { ["accountId": $0.0, "result": $0.1] } }
        switch (method, action) {
        case ("POST", nil):  // CreateMembers
            guard let details = body["accountDetails"] as? [[String: Any]], !details.isEmpty, details.count <= 50 else {
                throw APIError.badRequest("The request is rejected because accountDetails must hold 1 to 50 accounts.")
            }
            var rejected: [(String, String)] = []
            var count = try store.memberships(administrator: admin).count
            for detail in details {
                // GuardDuty's quota: 5,000 members by invitation.
                guard count < 5000 else { rejected.append((detail["accountId"] as? String ?? "", "The administrator already has 5,000 members.")); continue }
                let account = detail["accountId"] as? String ?? ""
                guard account.count == 12, account.allSatisfy(\.isNumber) else { rejected.append((account, "The account ID is not valid.")); continue }
                guard account != admin else { rejected.append((account, "An account cannot be its own member.")); continue }
                guard let email = detail["email"] as? String, email.contains("@") else { rejected.append((account, "The email address is not valid.")); continue }
                if let existing = try store.membership(administrator: admin, member: account), existing.status != .removed, existing.status != .resigned {
                    rejected.append((account, "The account is already a member."))
                    continue
                }
                if try store.membership(administrator: admin, member: account) == nil { count += 1 }
                try store.saveMembership(Membership(administrator: admin, member: account, email: email, status: .created, invitationId: nil,
                                                    invitedAt: nil, updatedAt: stamp))
            }
            return .json(["unprocessedAccounts": unprocessed(rejected)])
        case ("POST", "invite"), ("POST", "disassociate"), ("POST", "delete"), ("POST", "start"), ("POST", "stop"):
            var rejected: [(String, String)] = []
            for account in try accountIds() {
                guard var m = try store.membership(administrator: admin, member: account) else {
                    rejected.append((account, "The account is not a member of this administrator."))
                    continue
                }
                switch action {
                case "invite":
                    guard m.status != .enabled else { rejected.append((account, "The account is already an enabled member.")); continue }
                    m.status = .invited
                    m.invitationId = RandomID.make()
                    m.invitedAt = stamp
                    m.updatedAt = stamp
                    try store.saveMembership(m)
                case "disassociate":
                    m.status = .removed
                    m.updatedAt = stamp
                    try store.saveMembership(m)
                case "stop":  // StopMonitoringMembers: the administrator stops seeing the member's findings
                    guard m.status == .enabled else { rejected.append((account, "The member is not enabled.")); continue }
                    m.status = .disabled
                    m.updatedAt = stamp
                    try store.saveMembership(m)
                case "start":  // StartMonitoringMembers
                    guard m.status == .disabled else { rejected.append((account, "The member is not disabled.")); continue }
                    m.status = .enabled
                    m.updatedAt = stamp
                    try store.saveMembership(m)
                default:
                    try store.deleteMembership(administrator: admin, member: account)
                }
            }
            return .json(["unprocessedAccounts": unprocessed(rejected)])
        case ("POST", "get"):
            var found: [[String: Any]] = [], rejected: [(String, String)] = []
            for account in try accountIds() {
                if let m = try store.membership(administrator: admin, member: account) { found.append(memberJSON(m, detector)) }
                else { rejected.append((account, "The account is not a member of this administrator.")) }
            }
            return .json(["members": found, "unprocessedAccounts": unprocessed(rejected)])
        case ("GET", nil):  // ListMembers
            let onlyAssociated = (query["onlyAssociated"] ?? "true").lowercased() != "false"
            let all = try store.memberships(administrator: admin).filter { !onlyAssociated || $0.status == .enabled }
            let (page, next) = try Self.page(all.map(\.member), maxResults: query["maxResults"].map { Int($0) ?? -1 }, nextToken: query["nextToken"], limit: 50)
            let byId = Dictionary(all.map { ($0.member, $0) }, uniquingKeysWith: { a, _ in a })
            var out: [String: Any] = ["members": page.compactMap { byId[$0].map { memberJSON($0, detector) } }]
            if let next { out["nextToken"] = next }
            return .json(out)
        default:
            throw APIError(status: 404, type: "UnknownOperationException", message: "No GuardDuty operation at \(method) member/\(action ?? "").")
        }
    }

    func memberJSON(_ m: Membership, _ detector: DetectorRecord) -> [String: Any] {
        var out: [String: Any] = ["accountId": m.member, "email": m.email, "relationshipStatus": m.status.rawValue, "updatedAt": m.updatedAt,
                                  "masterId": m.administrator, "administratorId": m.administrator]
        if m.status == .enabled { out["detectorId"] = StableIdentifier.detector(accountId: m.member, region: detector.region) }
        if let invitedAt = m.invitedAt { out["invitedAt"] = invitedAt }
        return out
    }

    /// The member's side: invitations, accepting one, its administrator, leaving.
    func invitations(_ method: String, action: String?, caller: SigV4Verifier.Caller, _ body: [String: Any], query: [String: String]) throws -> APIResponse {
        let pending = try store.memberships(member: caller.accountId).filter { $0.status == .invited }
        switch (method, action) {
        case ("GET", nil):
            let (page, next) = try Self.page(pending.map(\.administrator), maxResults: query["maxResults"].map { Int($0) ?? -1 }, nextToken: query["nextToken"], limit: 50)
            let byAdmin = Dictionary(pending.map { ($0.administrator, $0) }, uniquingKeysWith: { a, _ in a })
            var out: [String: Any] = ["invitations": page.compactMap { byAdmin[$0] }.map {
                ["accountId": $0.administrator, "invitationId": $0.invitationId ?? "", "relationshipStatus": $0.status.rawValue, "invitedAt": $0.invitedAt ?? ""]
            }]
            if let next { out["nextToken"] = next }
            return .json(out)
        case ("GET", "count"):
            return .json(["invitationsCount": pending.count])
        case ("POST", "decline"), ("POST", "delete"):
            guard let admins = body["accountIds"] as? [String], !admins.isEmpty else {
                throw APIError.badRequest("The request is rejected because accountIds is missing.")
            }
            var rejected: [[String: String]] = []
            for admin in admins {
                guard var m = try store.membership(administrator: admin, member: caller.accountId), m.status == .invited else {
                    rejected.append(["accountId": admin, "result": "There is no invitation from this account."])
                    continue
                }
                m.status = .created
                m.invitationId = nil
                m.updatedAt = stamp()
                try store.saveMembership(m)
            }
            return .json(["unprocessedAccounts": rejected])
        default:
            throw APIError(status: 404, type: "UnknownOperationException", message: "No GuardDuty operation at \(method) invitation/\(action ?? "").")
        }
    }

    /// `legacy`: the deprecated "master" forms (AcceptInvitation, GetMasterAccount,
    /// DisassociateFromMasterAccount), which name the administrator `master`.
    func administrator(_ method: String, _ detector: DetectorRecord, action: String?, _ body: [String: Any], legacy: Bool = false) throws -> APIResponse {
        var body = body
        if legacy, let master = body["masterId"] { body["administratorId"] = master }
        let mine = try store.memberships(member: detector.accountId)
        let stamp = self.stamp()
        switch (method, action) {
        case ("POST", nil):  // AcceptAdministratorInvitation
            guard let admin = body["administratorId"] as? String, let invitation = body["invitationId"] as? String else {
                throw APIError.badRequest("The request is rejected because administratorId and invitationId are required.")
            }
            if mine.contains(where: { $0.status == .enabled && $0.administrator != admin }) {
                throw APIError.badRequest("The request is rejected because the account already has an administrator.")
            }
            guard var m = mine.first(where: { $0.administrator == admin }), m.status == .invited, m.invitationId == invitation else {
                throw APIError.badRequest("The request is rejected because the invitation is not valid.")
            }
            m.status = .enabled
            m.updatedAt = stamp
            try store.saveMembership(m)
            return .json([:])
        case ("GET", nil):  // GetAdministratorAccount
            let key = legacy ? "master" : "administrator"
            guard let m = mine.first(where: { $0.status == .enabled }) ?? mine.first(where: { $0.status == .invited }) else {
                return .json([key: [String: String]()])
            }
            return .json([key: ["accountId": m.administrator, "invitationId": m.invitationId ?? "", "relationshipStatus": m.status.rawValue,
                                            "invitedAt": m.invitedAt ?? ""]])
        case ("POST", "disassociate"):
            for var m in mine where m.status == .enabled || m.status == .disabled {
                m.status = .resigned
                m.updatedAt = stamp
                try store.saveMembership(m)
            }
            return .json([:])
        default:
            throw APIError(status: 404, type: "UnknownOperationException", message: "No GuardDuty operation at \(method) administrator/\(action ?? "").")
        }
    }
}
