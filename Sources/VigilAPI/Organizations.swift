import Foundation
import VigilModel
import VigilStore

/// The AWS Organizations operations: a management account's delegated administrators
/// (Enable/Disable/ListOrganizationAdminAccounts), an administrator's organization configuration
/// (Describe/UpdateOrganizationConfiguration), kept and shown as GuardDuty shows them, and its
/// accounts' counts (GetOrganizationStatistics, from its members).
///
/// Vigil has no view of AWS Organizations, so being named an organization's administrator grants
/// nothing: members are still added by invitation (CreateMembers, InviteMembers, accepted by the
/// member), and the auto-enable settings are recorded but enrol no account — enrolling accounts
/// that did not accept would let one tenant read another's findings.
extension GuardDutyAPI {
    func enableOrganizationAdmin(_ caller: SigV4Verifier.Caller, _ body: [String: Any], enable: Bool) throws -> APIResponse {
        let admin = body["adminAccountId"] as? String ?? ""
        // GuardDuty wants an account ID; moto (and so `--test-mode`) takes any text.
        if !testMode, AccountID(admin) == nil {
            throw APIError.badRequest("The request is rejected because the adminAccountId is not a 12-digit AWS account ID.")
        }
        let existing = try store.organizationAdmins(managementAccountId: caller.accountId)
        if enable {
            if !testMode, existing.contains(where: { $0.adminAccountId != admin }) {
                throw APIError.badRequest("The request is rejected because the organization already has a delegated administrator.")
            }
            try store.setOrganizationAdmin(managementAccountId: caller.accountId, adminAccountId: admin, status: "ENABLED")
        } else {
            guard existing.contains(where: { $0.adminAccountId == admin }) else {
                throw APIError.badRequest("The request is rejected because \(Self.shortened(admin)) is not the organization's delegated administrator.")
            }
            try store.setOrganizationAdmin(managementAccountId: caller.accountId, adminAccountId: admin, status: nil)
        }
        return .json([:])
    }

    func listOrganizationAdmins(_ caller: SigV4Verifier.Caller, query: [String: String]) throws -> APIResponse {
        let admins = try store.organizationAdmins(managementAccountId: caller.accountId)
        let (page, next) = try Self.page(admins.map(\.adminAccountId), maxResults: query["maxResults"].map { Int($0) ?? -1 },
                                         nextToken: query["nextToken"], limit: 50)
        let status = Dictionary(admins.map { ($0.adminAccountId, $0.status) }, uniquingKeysWith: { a, _ in a })
        var out: [String: Any] = ["adminAccounts": page.map { ["adminAccountId": $0, "adminStatus": status[$0] ?? "ENABLED"] }]
        if let next { out["nextToken"] = next }
        return .json(out)
    }

    func describeOrganizationConfiguration(_ detector: DetectorRecord) throws -> APIResponse {
        let organization = DetectorSettings(text: detector.settings).organization
        var out: [String: Any] = [
            "autoEnable": organization["autoEnable"] as? Bool ?? false,
            "memberAccountLimitReached": try store.memberships(administrator: detector.accountId).count >= 5000,
            "autoEnableOrganizationMembers": organization["autoEnableOrganizationMembers"] as? String ?? "NONE",
        ]
        if let sources = organization["dataSources"] { out["dataSources"] = sources }
        if let features = organization["features"] { out["features"] = features }
        return .json(out)
    }

    func updateOrganizationConfiguration(_ detector: DetectorRecord, _ body: [String: Any]) throws -> APIResponse {
        var d = detector
        var settings = DetectorSettings(text: d.settings)
        if let auto = body["autoEnable"] as? Bool {
            settings.organization["autoEnable"] = auto
            // The older flag and the newer setting say the same thing.
            if body["autoEnableOrganizationMembers"] == nil { settings.organization["autoEnableOrganizationMembers"] = auto ? "NEW" : "NONE" }
        }
        if let members = body["autoEnableOrganizationMembers"] as? String {
            settings.organization["autoEnableOrganizationMembers"] = members
            settings.organization["autoEnable"] = members != "NONE"
        }
        if let sources = body["dataSources"] as? [String: Any] { settings.organization["dataSources"] = sources }
        if let features = body["features"] as? [[String: Any]] { settings.organization["features"] = features }
        d.settings = settings.text
        d.updatedAt = stamp()
        try store.updateDetector(d)
        return .json([:])
    }

    /// GetOrganizationStatistics, for the caller as an administrator: its accounts (itself and its
    /// members), those that are members, those whose membership is enabled, and those of these whose
    /// detector in the region is enabled.
    func organizationStatistics(_ caller: SigV4Verifier.Caller) throws -> APIResponse {
        let members = try store.memberships(administrator: caller.accountId).filter { $0.status != .removed && $0.status != .resigned }
        let enabled = members.filter { $0.status == .enabled }
        let detecting = try enabled.filter { m in
            try store.detectors(accountId: m.member, region: caller.region).contains { $0.status == .enabled }
        }
        let updated = members.map(\.updatedAt).max() ?? stamp()
        return .json(["organizationDetails": [
            "updatedAt": (Timestamp(iso8601: updated)?.millisecondsSinceEpoch).map { Double($0) / 1000 } ?? 0,
            "organizationStatistics": ["totalAccountsCount": members.count + 1, "memberAccountsCount": members.count,
                                       "activeAccountsCount": enabled.count, "enabledAccountsCount": detecting.count,
                                       "countByFeature": [[String: Any]]()],
        ]])
    }
}
