/// The limits `vigil serve` puts on every connection and request, so that no client — signed or
/// not — can hold the server's memory, connections or workers at the expense of others.
public struct HTTPLimits: Sendable, Codable, Equatable {
    /// Body bytes read from a request whose headers do not name a known access key with a fresh
    /// date (anyone's): enough for a console sign-in, nothing more.
    public var preAuthenticationBodyBytes = 64 << 10
    /// Body bytes of an API request (GuardDuty's requests are small).
    public var apiBodyBytes = 1 << 20
    /// Body bytes of a `POST /ingest`.
    public var ingestBodyBytes = 10 << 20
    /// Seconds a connection may stay without a complete request head or between requests.
    public var idleTimeoutSeconds: Int64 = 30
    /// Seconds the whole body of a request may take to arrive.
    public var bodyTimeoutSeconds: Double = 60
    /// Connections open at once, in all.
    public var maximumConnections = 1024
    /// Connections open at once from one address.
    public var connectionsPerAddress = 128
    /// API requests of one account in progress at once; more wait their turn (32 at most, then
    /// `TooManyRequestsException`, 429, which boto3 and the aws CLI retry with back-off).
    public var requestsPerAccount = 4
    /// Threads that answer API requests (off the server's event loops and async tasks, so a slow
    /// query never delays the console, sign-in or another account's requests).
    public var apiWorkers = 8

    public init() {}

    /// Reads the configuration file's `httpLimits`: only the members given change.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        preAuthenticationBodyBytes = try c.decodeIfPresent(Int.self, forKey: .preAuthenticationBodyBytes) ?? preAuthenticationBodyBytes
        apiBodyBytes = try c.decodeIfPresent(Int.self, forKey: .apiBodyBytes) ?? apiBodyBytes
        ingestBodyBytes = try c.decodeIfPresent(Int.self, forKey: .ingestBodyBytes) ?? ingestBodyBytes
        idleTimeoutSeconds = try c.decodeIfPresent(Int64.self, forKey: .idleTimeoutSeconds) ?? idleTimeoutSeconds
        bodyTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .bodyTimeoutSeconds) ?? bodyTimeoutSeconds
        maximumConnections = try c.decodeIfPresent(Int.self, forKey: .maximumConnections) ?? maximumConnections
        connectionsPerAddress = try c.decodeIfPresent(Int.self, forKey: .connectionsPerAddress) ?? connectionsPerAddress
        requestsPerAccount = try c.decodeIfPresent(Int.self, forKey: .requestsPerAccount) ?? requestsPerAccount
        apiWorkers = try c.decodeIfPresent(Int.self, forKey: .apiWorkers) ?? apiWorkers
        let positive: [(String, Double)] = [
            ("preAuthenticationBodyBytes", Double(preAuthenticationBodyBytes)), ("apiBodyBytes", Double(apiBodyBytes)),
            ("ingestBodyBytes", Double(ingestBodyBytes)), ("idleTimeoutSeconds", Double(idleTimeoutSeconds)),
            ("bodyTimeoutSeconds", bodyTimeoutSeconds), ("maximumConnections", Double(maximumConnections)),
            ("connectionsPerAddress", Double(connectionsPerAddress)), ("requestsPerAccount", Double(requestsPerAccount)),
            ("apiWorkers", Double(apiWorkers)),
        ]
        if let (name, _) = positive.first(where: { !($0.1 > 0) }) {
            throw DecodingError.dataCorruptedError(forKey: CodingKeys(stringValue: name)!, in: c, debugDescription: "must be positive")
        }
    }
}
