import Foundation
import Testing
@testable import VigilAPI

/// SigV4 verification against AWS's published test vector and against tampering.
@Suite struct SigV4VerifierTests {
    // AWS's "get-vanilla" example from the Signature Version 4 test suite.
    static let credential = APICredential(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", accountId: "123456789012")
    static let vanilla = SignedRequest(
        method: "GET", path: "/", query: "",
        headers: [
            "host": "example.amazonaws.com", "x-amz-date": "20150830T123600Z",
            "authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        ], body: [])
    static let then = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z

    @Test func awsTestVectorVerifies() throws {
        let verifier = SigV4Verifier(credentials: [Self.credential], service: "service")
        let caller = try verifier.verify(Self.vanilla, now: Self.then)
        #expect(caller == .init(accountId: "123456789012", region: "us-east-1", accessKeyId: "AKIDEXAMPLE"))
    }

    @Test func tamperingIsRefused() {
        let verifier = SigV4Verifier(credentials: [Self.credential], service: "service")
        func code(_ request: SignedRequest, now: Date = SigV4VerifierTests.then) -> String? {
            do { _ = try verifier.verify(request, now: now); return nil } catch { return error.type }
        }
        var changedPath = Self.vanilla
        changedPath.path = "/detector"
        #expect(code(changedPath) == "InvalidSignatureException")
        var changedBody = Self.vanilla
        changedBody.body = Array("{}".utf8)
        #expect(code(changedBody) == "InvalidSignatureException")
        var changedHost = Self.vanilla
        changedHost.headers["host"] = "attacker.example"
        #expect(code(changedHost) == "InvalidSignatureException")
        var unsigned = Self.vanilla
        unsigned.headers["authorization"] = nil
        #expect(code(unsigned) == "MissingAuthenticationTokenException")
        #expect(code(Self.vanilla, now: Self.then.addingTimeInterval(16 * 60)) == "InvalidSignatureException")
        #expect(SigV4Verifier(credentials: [], service: "service").verifyCode(Self.vanilla, now: Self.then) == "UnrecognizedClientException")
        #expect(SigV4Verifier(credentials: [Self.credential]).verifyCode(Self.vanilla, now: Self.then) == "InvalidSignatureException")  // scoped to another service
        var garbage = Self.vanilla
        garbage.headers["authorization"] = "AWS4-HMAC-SHA256 nonsense"
        #expect(code(garbage) == "IncompleteSignatureException")
    }

    @Test func canonicalQueryIsSortedAndEncoded() {
        let request = SignedRequest(method: "GET", path: "/detector", query: "nextToken=a%2Fb&maxResults=5", headers: ["host": "h"], body: [])
        let canonical = SigV4Verifier.canonicalRequest(request, signedHeaders: ["host"])
        #expect(canonical.split(separator: "\n", omittingEmptySubsequences: false)[2] == "maxResults=5&nextToken=a%2Fb")
    }
}

extension SigV4Verifier {
    func verifyCode(_ request: SignedRequest, now: Date) -> String? {
        do { _ = try verify(request, now: now); return nil } catch { return error.type }
    }
}
