import Foundation
import VigilAPI

/// The web console, served by `vigil serve` under `/console`: a page and its script and style
/// (every asset served from here, none from a CDN), a sign-in that checks an access key of the
/// configuration's `apiCredentials` and sets a session cookie, and `/console/api/…`, which answers
/// GuardDuty's own operations for the signed-in caller — so the console sees exactly what boto3
/// would. Nothing but the sign-in page and its assets is readable without a session; requests
/// that change or read data must also carry `X-Vigil-Console: 1` (with the `SameSite=Strict`
/// cookie, this keeps other sites from acting through a signed-in browser).
struct Console: Sendable {
    let api: GuardDutyAPI
    let sessions: ConsoleSessions
    let signIns = SignInThrottle()
    /// Facts about the service the settings page shows to server administrators (delivery
    /// targets, watched folders: secrets and paths no tenant should see) and to everyone (the outbox).
    let service: @Sendable (_ administrator: Bool) -> [String: Any]
    let assets: [String: (type: String, bytes: [UInt8])]

    init(api: GuardDutyAPI, service: @escaping @Sendable (_ administrator: Bool) -> [String: Any]) {
        self.api = api
        sessions = ConsoleSessions(now: api.now)
        self.service = service
        var assets: [String: (String, [UInt8])] = [:]
        let types = ["html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
                     "svg": "image/svg+xml"]
        if let folder = Bundle.module.url(forResource: "Assets", withExtension: nil),
           let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) {
            for name in names {
                guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { continue }
                assets[name] = (types[(name as NSString).pathExtension] ?? "application/octet-stream", Array(data))
            }
        }
        self.assets = assets
    }

    static let cookie = "vigil_session"

    /// The caller of the request's live session, if it has one.
    func sessionCaller(_ headers: [String: String]) -> SigV4Verifier.Caller? {
        guard let header = headers["cookie"] else { return nil }
        return Self.token(cookieHeader: header).flatMap(sessions.caller)
    }

    /// Answers a console request; API calls are made through `forward` (which runs them within the
    /// server's per-account limits) as the signed-in caller.
    func handle(_ request: SignedRequest, remote: String,
                forward: @Sendable (SignedRequest, SigV4Verifier.Caller) async -> APIResponse) async -> APIResponse {
        let path = request.path
        if request.method == "GET", path == "/console" || path == "/console/" {
            return asset("index.html")
        }
        if request.method == "GET", path.hasPrefix("/console/assets/") {
            return asset(String(path.dropFirst("/console/assets/".count)))
        }
        if path == "/console/session" { return session(request, remote: remote) }
        guard request.headers["x-vigil-console"] == "1" else {
            return .error(APIError(status: 403, type: "AccessDeniedException", message: "Console requests carry X-Vigil-Console: 1."))
        }
        guard let token = Self.token(request), let caller = sessions.caller(token) else {
            return .error(APIError(status: 401, type: "UnauthorizedException", message: "Sign in to the console first."))
        }
        if path == "/console/service", request.method == "GET" {
            var facts = service(caller.isServerAdministrator)
            facts["accountId"] = caller.accountId
            facts["region"] = caller.region
            facts["serverAdministrator"] = caller.isServerAdministrator
            return .json(facts)
        }
        if path.hasPrefix("/console/api/") {
            var forwarded = request
            forwarded.path = String(path.dropFirst("/console/api".count))
            return await forward(forwarded, caller)
        }
        return .error(APIError(status: 404, type: "NotFoundException", message: "Nothing at \(path)."))
    }

    /// `POST` signs in (`{"accessKeyId", "secretAccessKey", "region"}`), `GET` tells who is signed
    /// in, `PUT` changes the region looked at, `DELETE` signs out.
    func session(_ request: SignedRequest, remote: String) -> APIResponse {
        let token = Self.token(request)
        switch request.method {
        case "GET":
            guard let token, let caller = sessions.caller(token) else {
                return .error(APIError(status: 401, type: "UnauthorizedException", message: "Not signed in."))
            }
            return .json(["accountId": caller.accountId, "region": caller.region, "accessKeyId": caller.accessKeyId])
        case "POST", "PUT":
            guard request.headers["x-vigil-console"] == "1",
                  let body = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any] else {
                return .error(.badRequest("Send {\"accessKeyId\", \"secretAccessKey\", \"region\"} with X-Vigil-Console: 1."))
            }
            let region = (body["region"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? "us-east-1"
            guard region.count <= 32, region.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { return .error(.badRequest("Not a region.")) }
            if request.method == "PUT" {
                guard let token, sessions.caller(token) != nil else {
                    return .error(APIError(status: 401, type: "UnauthorizedException", message: "Not signed in."))
                }
                sessions.setRegion(region, token: token)
                return .json(["region": region])
            }
            guard let key = body["accessKeyId"] as? String, let secret = body["secretAccessKey"] as? String, key.count <= 128 else {
                return .error(APIError(status: 401, type: "UnauthorizedException", message: "The access key or secret is wrong."))
            }
            // Sign-in is throttled per address and per key: guessing a secret gets nowhere.
            let throttled = ["address:\(remote)", "key:\(key)"]
            let wait = signIns.wait(for: throttled, now: api.now())
            if wait > 0 {
                var response = APIResponse.error(APIError(status: 429, type: "TooManyRequestsException",
                                                          message: "Too many failed sign-ins; try again in \(Int(wait.rounded(.up))) seconds."))
                response.headers["Retry-After"] = String(Int(wait.rounded(.up)))
                return response
            }
            guard let caller = api.verifier.caller(accessKeyId: key, secretAccessKey: secret, region: region) else {
                signIns.failed(throttled, now: api.now())
                return .error(APIError(status: 401, type: "UnauthorizedException", message: "The access key or secret is wrong."))
            }
            let token = sessions.start(caller)
            var response = APIResponse.json(["accountId": caller.accountId, "region": caller.region, "accessKeyId": caller.accessKeyId])
            response.headers["Set-Cookie"] = "\(Self.cookie)=\(token); Path=/console; HttpOnly; SameSite=Strict; Max-Age=\(Int(sessions.lifetime))"
            return response
        case "DELETE":
            if let token { sessions.end(token) }
            var response = APIResponse.json([:])
            response.headers["Set-Cookie"] = "\(Self.cookie)=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0"
            return response
        default:
            return .error(APIError(status: 405, type: "MethodNotAllowedException", message: "GET, POST, PUT or DELETE."))
        }
    }

    func asset(_ name: String) -> APIResponse {
        guard let asset = assets[name] else {
            return APIResponse(status: 404, headers: ["Content-Type": "text/plain"], body: Array("Not found".utf8))
        }
        return APIResponse(status: 200, headers: [
            "Content-Type": asset.type, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
            "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
        ], body: asset.bytes)
    }

    /// The session token from the `Cookie` header.
    static func token(_ request: SignedRequest) -> String? {
        request.headers["cookie"].flatMap { token(cookieHeader: $0) }
    }

    static func token(cookieHeader header: String) -> String? {
        for part in header.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces)
            if pair.hasPrefix("\(cookie)=") { return String(pair.dropFirst(cookie.count + 1)) }
        }
        return nil
    }
}
