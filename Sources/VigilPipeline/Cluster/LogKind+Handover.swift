import VigilLogs

extension LogKind {
    /// The kind's name in a ``Handover`` (`nil` for flow logs: their bytes carry the header that
    /// tells the schema, and are recognised from it).
    var handoverName: String? {
        switch self {
        case .cloudTrailDocument: "cloudTrailDocument"
        case .cloudTrailLines: "cloudTrailLines"
        case .resolverLines: "resolverLines"
        case .flowLog: nil
        }
    }

    /// The kind a handover names (`nil` for a name it does not know: recognised from the bytes).
    init?(handoverName name: String) {
        switch name {
        case "cloudTrailDocument": self = .cloudTrailDocument
        case "cloudTrailLines": self = .cloudTrailLines
        case "resolverLines": self = .resolverLines
        default: return nil
        }
    }
}
