import Foundation
import VigilModel

/// One administrator–member relationship. `status` is GuardDuty's relationship status:
/// `Created`, `Invited`, `Enabled` (the administrator sees the member's findings), `Removed`
/// (the administrator disassociated it) or `Resigned` (the member left).
public struct Membership: Sendable, Equatable {
    public var administrator: String
    public var member: String
    public var email: String
    public var status: RelationshipStatus
    public var invitationId: String?
    public var invitedAt: String?
    public var updatedAt: String
    public init(administrator: String, member: String, email: String, status: RelationshipStatus, invitationId: String?, invitedAt: String?, updatedAt: String) {
        self.administrator = administrator
        self.member = member
        self.email = email
        self.status = status
        self.invitationId = invitationId
        self.invitedAt = invitedAt
        self.updatedAt = updatedAt
    }
}
