/// One operation of GuardDuty's API as the model declares it: its name, HTTP method, request URI
/// (with `{Label}`s) and input shape.
public struct APIOperation: Sendable {
    public enum Method: String, Sendable { case get = "GET", post = "POST", delete = "DELETE", put = "PUT" }

    public let name: String
    public let method: Method
    /// The request URI template (`/detector/{DetectorId}/findings`).
    public let requestURI: String
    public let input: APIShape
    /// The template's segments: literals, or labels (`{DetectorId}` → label `DetectorId`).
    let segments: [Segment]

    enum Segment: Sendable, Equatable {
        case literal(String)
        case label(String)
    }

    public init(_ name: String, _ method: Method, _ requestURI: String, input: APIShape) {
        self.name = name
        self.method = method
        self.requestURI = requestURI
        self.input = input
        segments = requestURI.split(separator: "/").map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? .label(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
    }

    /// The labels' values when `path` (decoded segments) fits the template, else `nil`.
    func bind(_ path: [String]) -> [String: String]? {
        guard path.count == segments.count else { return nil }
        var labels: [String: String] = [:]
        for (segment, value) in zip(segments, path) {
            switch segment {
            case .literal(let literal): guard literal == value else { return nil }
            case .label(let label): labels[label] = value
            }
        }
        return labels
    }

    /// How many literal segments the template has: the more specific template wins a tie.
    var literalCount: Int { segments.filter { if case .literal = $0 { true } else { false } }.count }
}
