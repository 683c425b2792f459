import VigilModel

/// A request routed to its operation and checked against its input shape: who calls, the URI
/// labels, the query parameters and the JSON body (in Foundation's types, JSON's types kept apart).
struct OperationRequest {
    let operation: APIOperation
    let caller: SigV4Verifier.Caller
    let labels: [String: String]
    let query: [String: [String]]
    let body: [String: Any]

    /// A URI label's value (validated present for every label the template has).
    func label(_ name: String) -> String { labels[name] ?? "" }

    /// The query parameters with one value each (the first).
    var singleQuery: [String: String] { query.compactMapValues(\.first) }
}
