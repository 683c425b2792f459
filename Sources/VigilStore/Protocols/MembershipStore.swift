/// Administrator and member accounts.
public protocol MembershipStore: Sendable {
    func saveMembership(_ membership: Membership) throws
    func membership(administrator: String, member: String) throws -> Membership?
    /// An administrator's members (invitations included).
    func memberships(administrator: String) throws -> [Membership]
    /// A member's administrators (invitations included).
    func memberships(member: String) throws -> [Membership]
    func deleteMembership(administrator: String, member: String) throws
}
