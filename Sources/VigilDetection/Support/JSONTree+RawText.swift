import VigilLogs
import VigilModel

extension JSONTree {
    /// Parses a field's JSON text; `nil` if absent or not JSON.
    public init?(_ text: RawText) {
        guard let string = text.string else { return nil }
        self.init(text: string)
    }
}
