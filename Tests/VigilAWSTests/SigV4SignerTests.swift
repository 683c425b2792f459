import Foundation
import Testing
import VigilAWS

/// The signer against the examples AWS publishes in the S3 documentation ("Signature calculations
/// for the Authorization header"), computed with its example key.
@Suite struct SigV4SignerTests {
    static let key = AWSCredentials(accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let day = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z

    func signature(_ headers: [String: String]) -> String? {
        headers["authorization"]?.components(separatedBy: "Signature=").last
    }

    @Test func getObjectExample() {
        let signer = SigV4Signer(credentials: Self.key, region: "us-east-1", service: "s3")
        let headers = signer.sign(method: "GET", host: "examplebucket.s3.amazonaws.com", path: "/test.txt", query: "",
                                  headers: ["range": "bytes=0-9"], payloadHash: SigV4.emptyPayloadHash, date: Self.day)
        #expect(headers["x-amz-date"] == "20130524T000000Z")
        #expect(headers["authorization"]?.contains("SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,") == true)
        #expect(signature(headers) == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func listObjectsExample() {
        let signer = SigV4Signer(credentials: Self.key, region: "us-east-1", service: "s3")
        let headers = signer.sign(method: "GET", host: "examplebucket.s3.amazonaws.com", path: "/", query: "max-keys=2&prefix=J",
                                  payloadHash: SigV4.emptyPayloadHash, date: Self.day)
        #expect(signature(headers) == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test func temporaryCredentialsSignTheirToken() {
        var key = Self.key
        key.sessionToken = "token/with+chars"
        let headers = SigV4Signer(credentials: key, region: "eu-west-1", service: "sqs")
            .sign(method: "POST", host: "sqs.eu-west-1.amazonaws.com", path: "/", query: "", payloadHash: SigV4.emptyPayloadHash, date: Self.day)
        #expect(headers["x-amz-security-token"] == "token/with+chars")
        #expect(headers["authorization"]?.contains("x-amz-security-token") == true)
        #expect(headers["authorization"]?.contains("/20130524/eu-west-1/sqs/aws4_request") == true)
        #expect(!key.description.contains("token/with") && !key.description.contains(key.secretAccessKey))
    }

    @Test func amzDatesRoundTrip() throws {
        for seconds in [0.0, 1_369_353_600, 1_733_390_000, 4_102_444_799] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(try #require(SigV4.parseAmzDate(SigV4.amzDate(date))) == date)
        }
        #expect(SigV4.parseAmzDate("2013-05-24T00:00:00Z") == nil)
        #expect(SigV4.parseAmzDate("20131324T000000Z") == nil)
    }
}
