/// An AWS Organizations management account's delegated GuardDuty administrators.
public protocol OrganizationAdminStore: Sendable {
    /// Records `adminAccountId` as `status` (`ENABLED`, `DISABLE_IN_PROGRESS`) for the management
    /// account; `nil` removes it.
    func setOrganizationAdmin(managementAccountId: String, adminAccountId: String, status: String?) throws
    func organizationAdmins(managementAccountId: String) throws -> [(adminAccountId: String, status: String)]
}
