import Foundation
import Testing
@testable import VigilAPI
import VigilAWS
import VigilIntel
import VigilModel
import VigilStore

/// Whatever a signed client sends, every operation answers with an AWS-shaped response — a
/// status, `X-Amzn-ErrorType` on errors, a JSON body — and never crashes.
@Suite struct APIRobustnessTests {
    static let credential = APICredential(accessKeyId: "AKIAFUZZ", secretAccessKey: "fuzz-secret", accountId: "123456789012")

    /// Signs a request with Vigil's own signer (the verifier and the signer share SigV4's parts;
    /// every request of these tests verifying is the round trip's check).
    static func signed(_ method: String, _ path: String, query: String = "", body: [UInt8], now: Date) -> SignedRequest {
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey),
                                 region: "us-east-1", service: "guardduty")
        let headers = signer.sign(method: method, host: "127.0.0.1:8642", path: path, query: query, payloadHash: SigV4.sha256Hex(body), date: now)
        return SignedRequest(method: method, path: path, query: query, headers: headers, body: body)
    }

    @Test func randomBodiesOnEveryRoute() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-fuzz-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteFindingStore(directory: dir)
        let now = Date()
        let api = GuardDutyAPI(store: store, verifier: SigV4Verifier(credentials: [Self.credential]), testMode: true,
                               loader: IntelSetLoader(policy: ListLocationPolicy(folders: [dir + "/lists/{account}"]), cacheDirectory: dir + "/fetched"), now: { now })
        let created = api.handle(Self.signed("POST", "/detector", body: Array(#"{"enable": true}"#.utf8), now: now))
        #expect(created.status == 200)
        let detector = try #require((try JSONSerialization.jsonObject(with: Data(created.body)) as? [String: Any])?["detectorId"] as? String)
        try store.merge([Finding(accountId: "123456789012", arn: "a", createdAt: "2023-11-14T22:00:00.000Z", id: "f1", region: "us-east-1",
                                 resource: Resource(resourceType: "Instance"), service: Service(count: 1, detectorId: detector), severity: 5,
                                 type: "Recon:EC2/Portscan", updatedAt: "2023-11-14T22:00:00.000Z")])
        let d = "/detector/\(detector)"
        let routes: [(String, String)] = [
            ("POST", "/detector"), ("GET", "/detector"), ("GET", d), ("POST", d), ("POST", "\(d)/findings"), ("POST", "\(d)/findings/get"),
            ("POST", "\(d)/findings/archive"), ("POST", "\(d)/findings/unarchive"), ("POST", "\(d)/findings/statistics"),
            ("POST", "\(d)/findings/feedback"), ("POST", "\(d)/findings/create"), ("POST", "\(d)/filter"), ("GET", "\(d)/filter"),
            ("POST", "\(d)/filter/some-filter"), ("POST", "\(d)/ipset"), ("POST", "\(d)/threatintelset"), ("POST", "\(d)/member"),
            ("POST", "\(d)/member/get"), ("POST", "\(d)/member/invite"), ("POST", "\(d)/administrator"), ("GET", "/invitation"),
            ("POST", "/invitation/decline"), ("POST", "\(d)/usage/statistics"), ("POST", "/tags/arn%3Aaws%3Aguardduty%3Aus-east-1%3A123456789012%3Adetector%2F\(detector)"),
            ("GET", "/nowhere"), ("PUT", d),
        ]
        // Bodies: JSON of the wrong shapes, deep nesting, huge numbers, broken text, random bytes.
        var bodies: [[UInt8]] = [[], Array("null".utf8), Array("[]".utf8), Array("{}".utf8), Array("{\"".utf8), Array("\u{0}\u{1}\u{2}".utf8),
                                 Array(#"{"findingCriteria": {"criterion": {"severity": {"gt": 1e309}}}}"#.utf8),
                                 Array(#"{"findingIds": [1, 2, 3], "maxResults": "many", "sortCriteria": 7}"#.utf8),
                                 Array(#"{"findingCriteria": {"criterion": {"a": {"eq": [{"x": 1}]}}}, "nextToken": -1}"#.utf8),
                                 Array((String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)).utf8),
                                 Array(#"{"accountDetails": [{"accountId": 12, "email": null}], "accountIds": "all"}"#.utf8),
                                 Array(#"{"name": "", "format": "TXT", "location": "file:///nonexistent", "activate": true}"#.utf8)]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<60 { bodies.append((0..<Int.random(in: 1...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }) }
        for (method, path) in routes {
            for body in bodies {
                let response = api.handle(Self.signed(method, path, body: body, now: now))
                #expect((200..<600).contains(response.status))
                if response.status >= 400 {
                    #expect(response.headers["X-Amzn-ErrorType"] != nil, "\(method) \(path)")
                    #expect((try? JSONSerialization.jsonObject(with: Data(response.body))) != nil)
                }
                #expect(response.status < 500, "\(method) \(path) \(String(decoding: response.body, as: UTF8.self))")
            }
        }
        // Still answering.
        #expect(api.handle(Self.signed("GET", "/detector", body: [], now: now)).status == 200)
    }
}

/// Criteria and sorts the store cannot answer from its columns read a bounded number of findings.
@Suite struct QueryBudgetTests {
    @Test func criteriaOnListAttributesOverTooManyFindingsAreRefusedNamingWhatToNarrow() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-budget-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteFindingStore(directory: dir)
        let now = Date()
        var api = GuardDutyAPI(store: store, verifier: SigV4Verifier(credentials: [APIRobustnessTests.credential]), now: { now })
        api.candidateLimit = 10
        let created = api.handle(APIRobustnessTests.signed("POST", "/detector", body: Array(#"{"enable": true}"#.utf8), now: now))
        let detector = try #require((try JSONSerialization.jsonObject(with: Data(created.body)) as? [String: Any])?["detectorId"] as? String)
        let findings = (0..<20).map { i in
            Finding(accountId: "123456789012", arn: "a\(i)", createdAt: "2023-11-14T22:00:00.000Z", id: "f\(i)", region: "us-east-1",
                    resource: Resource(instanceDetails: InstanceDetails(instanceId: "i-\(i)", networkInterfaces: [NetworkInterface(subnetId: "subnet-\(i % 2)")]),
                                       resourceType: "Instance"),
                    service: Service(count: 1, detectorId: detector), severity: Double(2 + i % 7), type: "Recon:EC2/Portscan",
                    updatedAt: "2023-11-14T22:00:00.000Z")
        }
        try store.merge(findings)
        let list = "/detector/\(detector)/findings"
        let listAttribute = #"{"findingCriteria": {"criterion": {"resource.instanceDetails.networkInterfaces.subnetId": {"eq": ["subnet-1"]}}}}"#
        let refused = api.handle(APIRobustnessTests.signed("POST", list, body: Array(listAttribute.utf8), now: now))
        #expect(refused.status == 400 && String(decoding: refused.body, as: UTF8.self).contains("narrow"))
        let sorted = #"{"sortCriteria": {"attributeName": "resource.instanceDetails.networkInterfaces.subnetId"}}"#
        #expect(api.handle(APIRobustnessTests.signed("POST", list, body: Array(sorted.utf8), now: now)).status == 400)
        // Narrowed by an indexed column to at most the limit, the same criterion is answered.
        let narrowed = #"{"findingCriteria": {"criterion": {"severity": {"gte": 7}, "resource.instanceDetails.networkInterfaces.subnetId": {"eq": ["subnet-1"]}}}}"#
        let answered = api.handle(APIRobustnessTests.signed("POST", list, body: Array(narrowed.utf8), now: now))
        #expect(answered.status == 200)
        let ids = try #require((try JSONSerialization.jsonObject(with: Data(answered.body)) as? [String: Any])?["findingIds"] as? [String])
        #expect(Set(ids) == Set(findings.filter { $0.severity >= 7 && Int($0.id.dropFirst())! % 2 == 1 }.map(\.id)))
    }
}
