/// Something in a Sigma rule file that Vigil cannot use as written, with where it is.
///
/// An ``Severity/error`` keeps the rule from loading (the other rules still load); a
/// ``Severity/warning`` explains how a loaded rule runs (a field CloudTrail records never hold).
public struct SigmaProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable { case error, warning }

    public let severity: Severity
    /// The rule file.
    public let file: String
    /// The 1-based line in the file, when known.
    public let line: Int?
    /// The construct concerned: a key path (`detection.selection.userIdentity.arn|re`), a modifier,
    /// a condition.
    public let construct: String
    public let message: String

    public init(_ severity: Severity = .error, file: String, line: Int?, construct: String, _ message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.construct = construct
        self.message = message
    }

    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(severity.rawValue): \(construct): \(message)"
    }
}
