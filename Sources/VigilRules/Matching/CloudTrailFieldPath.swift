import VigilLogs

/// Where a Sigma field name (a dotted path into a CloudTrail record) is read from.
enum CloudTrailFieldPath: Sendable, Hashable, CustomStringConvertible {
    /// A field the reader extracts: its text (JSON text for `requestParameters` and the other
    /// JSON-valued fields).
    case field(CloudTrailField)
    /// A path inside a JSON-valued field (`requestParameters.userName`); arrays on the way are
    /// searched element by element.
    case nested(CloudTrailField, [[UInt8]])
    /// A name that is not a CloudTrail record field (`status`): never present.
    case notInRecords(String)

    /// Resolves `path`; `nil` for a CloudTrail field Vigil does not read (an error for the rule).
    static func resolve(_ path: String) -> CloudTrailFieldPath? {
        if let field = CloudTrailField.allCases.first(where: { $0.path == path }) { return .field(field) }
        for field in CloudTrailField.allCases where field.isRawJSON && path.hasPrefix(field.path + ".") {
            let rest = path.dropFirst(field.path.count + 1).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !rest.contains(where: \.isEmpty) else { return nil }
            return .nested(field, rest.map { Array($0.utf8) })
        }
        let top = path.prefix { $0 != "." }
        if knownUnread.contains(String(top)) || path.hasPrefix("userIdentity.") { return nil }
        return .notInRecords(path)
    }

    /// Top-level members of CloudTrail's record schema that Vigil's reader does not extract.
    static let knownUnread: Set<String> = [
        "apiVersion", "serviceEventDetails", "tlsDetails", "sessionCredentialFromConsole", "insightDetails",
        "addendum", "edgeDeviceDetails", "userIdentity",
    ]

    var description: String {
        switch self {
        case .field(let f): f.path
        case .nested(let f, let rest): ([f.path] + rest.map { String(decoding: $0, as: UTF8.self) }).joined(separator: ".")
        case .notInRecords(let name): name
        }
    }

    /// The fields Vigil reads, for messages.
    static var readFields: String {
        CloudTrailField.allCases.map { $0.isRawJSON ? "\($0.path)[.…]" : $0.path }.joined(separator: ", ")
    }
}
