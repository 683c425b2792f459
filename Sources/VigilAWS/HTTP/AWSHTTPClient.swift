import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends requests to AWS services over async-http-client: signs each with the current
/// credentials, reads the answer up to a size limit, and turns an error answer into an
/// ``AWSError`` carrying the service's code (from the XML or JSON error body).
public struct AWSHTTPClient: Sendable {
    public struct Response: Sendable {
        public var status: Int
        /// By lower-case name.
        public var headers: [String: String]
        public var body: [UInt8]
    }

    private let http: HTTPClient
    public let credentials: any CredentialProvider
    public let region: String

    /// The process's connection pool for AWS: redirects are not followed (S3 answers a redirect
    /// with the bucket's region, and a signed request cannot be replayed elsewhere), a connection
    /// is given 3 seconds, and a refused one fails at once (``send`` retries). Never shut down: it
    /// lives as long as the process.
    public static let sharedHTTP: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow,
                                                     timeout: .init(connect: .seconds(3), read: .seconds(60)))
        configuration.connectionPool.idleTimeout = .seconds(30)
        // Vigil retries a failed request itself (``retries``, with backoff), connection failures
        // included; the pool's own retrying would hold a refused connection for the whole timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// - Parameters:
    ///   - http: the connection pool (default: ``sharedHTTP``).
    public init(credentials: any CredentialProvider, region: String, http: HTTPClient = AWSHTTPClient.sharedHTTP) {
        self.credentials = credentials
        self.region = region
        self.http = http
    }

    /// Sends a signed request to `service` at `endpoint`.
    ///
    /// - Parameters:
    ///   - path: the path as sent (percent-encoded; the endpoint's base path is put before it).
    ///   - query: the query as sent.
    ///   - maximumBytes: the largest answer read; a larger one fails (a log object, an XML listing).
    public func send(service: String, endpoint: AWSEndpoint, method: HTTPMethod = .GET, path: String, query: String = "",
                     headers: [String: String] = [:], body: [UInt8] = [], maximumBytes: Int = 16 << 20,
                     timeout: TimeAmount = .seconds(60)) async throws -> Response {
        var attempt = 0
        while true {
            do {
                return try await sendOnce(service: service, endpoint: endpoint, method: method, path: path, query: query, headers: headers,
                                          body: body, maximumBytes: maximumBytes, timeout: timeout)
            } catch let error as AWSError where error.isRetryable && attempt < Self.retries {
                // Throttling, a server error, a dropped connection: again after 0.2, 0.4, 0.8 s.
                attempt += 1
                try await Task.sleep(nanoseconds: UInt64(100_000_000) << UInt64(attempt))
            }
        }
    }

    /// Attempts after the first for an error worth retrying.
    static let retries = 3

    private func sendOnce(service: String, endpoint: AWSEndpoint, method: HTTPMethod, path: String, query: String,
                          headers: [String: String], body: [UInt8], maximumBytes: Int, timeout: TimeAmount) async throws -> Response {
        let current = try await credentials.credentials()
        let signer = SigV4Signer(credentials: current, region: region, service: service)
        let signed = signer.sign(method: method.rawValue, host: endpoint.hostHeader, path: endpoint.basePath + path, query: query,
                                 headers: headers, payloadHash: body.isEmpty ? SigV4.emptyPayloadHash : SigV4.sha256Hex(body))
        var request = HTTPClientRequest(url: endpoint.url(path: path, query: query))
        request.method = method
        for (name, value) in signed where name != "host" { request.headers.add(name: name, value: value) }
        if !body.isEmpty || method == .POST || method == .PUT { request.body = .bytes(body) }
        let response = try await Self.execute(request, http: http, maximumBytes: maximumBytes, timeout: timeout)
        guard (200..<300).contains(response.status) else { throw Self.error(from: response) }
        return response
    }

    /// Sends `request` as it is (unsigned: instance metadata, container credentials, web identity).
    static func execute(_ request: HTTPClientRequest, http: HTTPClient, maximumBytes: Int, timeout: TimeAmount) async throws -> Response {
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: timeout)
        } catch {
            throw AWSError.transport("\(request.method.rawValue) \(request.url): \(error)")
        }
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        let bytes: ByteBuffer
        do {
            bytes = try await response.body.collect(upTo: maximumBytes)
        } catch {
            throw AWSError.response("\(request.url): the answer could not be read whole within \(maximumBytes) bytes (\(error))")
        }
        return Response(status: Int(response.status.code), headers: headers, body: Array(bytes.readableBytesView))
    }

    /// The service's error in an answer: S3's `<Error><Code>`, the query services'
    /// `<ErrorResponse><Error><Code>`, or the JSON services' `__type` / `x-amzn-errortype`.
    static func error(from response: Response) -> AWSError {
        if let tree = XMLTree.parse(response.body), let error = tree.find("Error") {
            return .service(status: response.status, code: error.text("Code") ?? "HTTP\(response.status)", message: error.text("Message") ?? "",
                            bucketRegion: error.text("Region") ?? response.headers["x-amz-bucket-region"])
        }
        if let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] {
            let type = (object["__type"] as? String) ?? response.headers["x-amzn-errortype"] ?? "HTTP\(response.status)"
            let code = String(type.split(separator: "#").last ?? Substring(type)).split(separator: ":").first.map(String.init) ?? type
            return .service(status: response.status, code: code, message: (object["message"] as? String) ?? (object["Message"] as? String) ?? "")
        }
        let code = response.headers["x-amzn-errortype"].map { String($0.split(separator: ":").first ?? "") } ?? "HTTP\(response.status)"
        return .service(status: response.status, code: code, message: String(decoding: response.body.prefix(200), as: UTF8.self))
    }
}
