import Foundation
import VigilModel

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
    public var status: PublishingStatus
    public init(id: String, detectorId: String, destinationArn: String, kmsKeyArn: String?, status: PublishingStatus) {
        self.id = id
        self.detectorId = detectorId
        self.destinationArn = destinationArn
        self.kmsKeyArn = kmsKeyArn
        self.status = status
    }
}
