import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix
import Prometheus
import VigilAPI
import VigilIntel
import VigilModel

/// Answers every HTTP request of `vigil serve` within its ``HTTPLimits``: reads a small body unless
/// the headers name a known access key (or a console session), refuses what is too large or too
/// slow, and hands API work to a pool of worker threads with a per-account limit — so that no
/// client can exhaust memory, stall the event loops, or keep other accounts waiting.
struct HTTPFront: Sendable {
    let server: VigilServer
    let limits: HTTPLimits
    let workers: NIOThreadPool
    /// API requests in progress (and waiting) per account.
    let slots: AccountSlots

    init(server: VigilServer, limits: HTTPLimits) {
        self.server = server
        self.limits = limits
        workers = NIOThreadPool(numberOfThreads: limits.apiWorkers)
        workers.start()
        slots = AccountSlots(limit: limits.requestsPerAccount)
    }

    func respond(_ request: Request, remote: String) async -> Response {
        var request = request
        let path = request.uri.path
        // A browser opening the server's root is sent to the console.
        if request.method == .get, path == "/" || path.isEmpty {
            return Response(status: .found, headers: [.location: "/console/"])
        }
        if path == "/metrics" {
            return metrics(request.method, remote: remote)
        }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        if let authority = request.head.authority { headers["host"] = authority }
        let isConsole = path == "/console" || path.hasPrefix("/console/")
        let isIngest = path == "/ingest"
        // How much body to read: little from anyone; the route's limit for a request naming a known
        // key with a fresh date (its signature is checked once the body is in) or a live console session.
        let claimed = server.api.verifier.claimedCaller(headers: headers, now: server.api.now())
        let limit: Int
        if claimed != nil {
            limit = isIngest ? limits.ingestBodyBytes : limits.apiBodyBytes
        } else if isConsole, server.console.sessionCaller(headers) != nil {
            limit = limits.apiBodyBytes
        } else {
            limit = limits.preAuthenticationBodyBytes
        }
        if let length = headers["content-length"].flatMap(Int.init), length > limit {
            return Self.tooLarge(limit)
        }
        let body: [UInt8]
        switch await Self.collect(&request, upTo: limit, within: limits.bodyTimeoutSeconds) {
        case .body(let bytes): body = bytes
        case .tooLarge: return Self.tooLarge(limit)
        case .tooSlow:
            return Self.response(.error(APIError(status: 408, type: "RequestTimeoutException",
                                                 message: "The request body did not arrive within \(Int(limits.bodyTimeoutSeconds)) seconds.")),
                                 close: true)
        }
        let signed = SignedRequest(method: request.method.rawValue, path: path, query: request.uri.query ?? "", headers: headers, body: body)
        if isIngest {
            return Self.response(await server.ingest(signed, workers: workers))
        }
        if isConsole {
            return Self.response(await server.console.handle(signed, remote: remote) { forwarded, caller in
                await run(account: caller.accountId) { server.api.handle(forwarded, as: caller) }
            })
        }
        if server.api.testMode, signed.method == "POST", signed.path == "/moto-api/reset" {
            return Self.response(server.api.handle(signed))
        }
        let caller: SigV4Verifier.Caller
        do { caller = try server.api.verifier.verify(signed, now: server.api.now()) } catch {
            return Self.response(.error(error))
        }
        return Self.response(await run(account: caller.accountId) { server.api.handle(signed, as: caller) })
    }

    /// `GET /metrics`: Prometheus's text format, to the operator's networks only (the counts span
    /// every tenant); anyone else gets the same 404 as an unknown path.
    func metrics(_ method: HTTPRequest.Method, remote: String) -> Response {
        guard let registry = server.options.metrics, let address = IPAddress(remote),
              server.options.metricsNetworks.contains(where: { $0.contains(address) }) else {
            return Self.response(.error(APIError(status: 404, type: "UnknownOperationException", message: "No GuardDuty operation at /metrics.")))
        }
        guard method == .get else { return Self.response(.error(APIError(status: 405, type: "MethodNotAllowedException", message: "Use GET."))) }
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }

    /// Runs API work on a worker thread, at most ``HTTPLimits/requestsPerAccount`` at once per
    /// account (the rest wait their turn, a bounded number of them).
    func run(account: String, _ work: @escaping @Sendable () -> APIResponse) async -> APIResponse {
        guard await slots.acquire(account) else {
            var response = APIResponse.error(APIError(status: 429, type: "TooManyRequestsException",
                                                      message: "Too many requests of this account are in progress; retry shortly."))
            response.headers["Retry-After"] = "1"
            return response
        }
        let response: APIResponse
        do { response = try await workers.runIfActive(work) } catch {
            response = .error(.internalError("The server is shutting down."))
        }
        await slots.release(account)
        return response
    }

    enum Collected {
        case body([UInt8])
        case tooLarge
        case tooSlow
    }

    /// The request's body, at most `limit` bytes, arriving within `seconds`.
    static func collect(_ request: inout Request, upTo limit: Int, within seconds: Double) async -> Collected {
        let incoming = request
        return await withTaskGroup(of: Collected.self) { group in
            group.addTask {
                var copy = incoming
                do {
                    let buffer = try await copy.collectBody(upTo: limit)
                    return .body(Array(buffer.readableBytesView))
                } catch {
                    return Task.isCancelled ? .tooSlow : .tooLarge
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                return .tooSlow
            }
            let first = await group.next() ?? .tooSlow
            group.cancelAll()
            return first
        }
    }

    static func tooLarge(_ limit: Int) -> Response {
        response(.error(APIError(status: 413, type: "RequestEntityTooLargeException",
                                 message: "The request body is larger than \(limit) bytes, the most this request may send.")), close: true)
    }

    static func response(_ r: APIResponse, close: Bool = false) -> Response {
        var headers = HTTPFields()
        for (name, value) in r.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        if close { headers[.connection] = "close" }
        return Response(status: .init(code: r.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: r.body)))
    }
}
