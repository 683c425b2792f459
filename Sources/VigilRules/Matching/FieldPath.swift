import VigilLogs
import VigilModel

/// Where a rule's field is read, in the records of its log source.
enum FieldPath: Sendable, Hashable, CustomStringConvertible {
    case cloudTrail(CloudTrailFieldPath)
    case flow(FlowField)
    /// A Resolver query-log field; for `answers`, an optional path inside it (`answers.Rdata`).
    case resolver(ResolverField, [[UInt8]])

    /// Resolves a field name for `source`: `nil` when Vigil does not read it.
    static func resolve(_ name: String, in source: SigmaLogSource) -> FieldPath? {
        switch source {
        case .cloudTrail:
            return CloudTrailFieldPath.resolve(name).map(FieldPath.cloudTrail)
        case .flowLogs:
            return FlowField(rawValue: name).map(FieldPath.flow)
        case .resolver:
            if let field = ResolverField.allCases.first(where: { $0.path == name }) { return .resolver(field, []) }
            if name.hasPrefix("answers.") {
                let rest = name.dropFirst(8).split(separator: ".", omittingEmptySubsequences: false)
                guard !rest.contains(where: \.isEmpty) else { return nil }
                return .resolver(.answers, rest.map { Array($0.utf8) })
            }
            return nil
        }
    }

    /// The fields a source's rules can name, for messages.
    static func names(_ source: SigmaLogSource) -> String {
        switch source {
        case .cloudTrail: CloudTrailFieldPath.readFields
        case .flowLogs: FlowField.allCases.map(\.rawValue).joined(separator: ", ")
        case .resolver: ResolverField.allCases.map(\.path).joined(separator: ", ") + ", answers.Rdata, answers.Type, answers.Class"
        }
    }

    var isNotInRecords: Bool {
        if case .cloudTrail(.notInRecords) = self { return true }
        return false
    }

    var description: String {
        switch self {
        case .cloudTrail(let p): p.description
        case .flow(let f): f.rawValue
        case .resolver(let f, let rest): ([f.path] + rest.map { String(decoding: $0, as: UTF8.self) }).joined(separator: ".")
        }
    }
}

/// A record as rules read it: values at field paths, whatever the log source.
protocol SigmaRecordView: AnyObject {
    /// Calls `body` with each value at `path` until it returns `true`; returns whether one did.
    func anyValue(at path: FieldPath, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool
    /// Whether `path` holds a value.
    func exists(_ path: FieldPath) -> Bool
    /// The address at `path` when the record holds it as an address (flow logs), else `nil`
    /// (the text is parsed instead).
    func address(at path: FieldPath) -> IPAddress?
}
