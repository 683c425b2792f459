import VigilModel

/// The file a record came from, with what its S3 key says. A class, so handing it along with
/// every record costs one reference count, not one per string inside.
public final class LogSource: Sendable {
    public let path: String
    public let layout: S3LogPath?
    /// The account the S3 key names, for records that name none themselves.
    public let account: AccountID?
    public init(path: String, layout: S3LogPath?) {
        self.path = path
        self.layout = layout
        account = layout?.account
    }
}
