import Testing
@testable import VigilAWS
@testable import VigilIngest
import VigilModel

@Suite struct LocationTests {
    @Test func s3LocationsParseAsTheCLINamesThem() {
        #expect(S3Location("s3://my-logs/AWSLogs/") == S3Location(bucket: "my-logs", prefix: "AWSLogs/"))
        #expect(S3Location("s3://my-logs") == S3Location(bucket: "my-logs", prefix: ""))
        #expect(S3Location("s3://my.logs//a") == S3Location(bucket: "my.logs", prefix: "a"))
        #expect(S3Location("s3://UPPER/a") == nil)
        #expect(S3Location("s3://ab/a") == nil)
        #expect(S3Location("/tmp/logs") == nil)
        #expect(S3Location(bucket: "b", prefix: "p/").name(of: "p/x y.json") == "s3://b/p/x y.json")
    }

    @Test func endpointsComeFromTheEnvironmentAsTheSDKsReadIt() {
        #expect(AWSEndpoint.resolve(service: "s3", region: "eu-west-1", environment: [:]).host == "s3.eu-west-1.amazonaws.com")
        #expect(AWSEndpoint.resolve(service: "s3", region: "cn-north-1", environment: [:]).host == "s3.cn-north-1.amazonaws.com.cn")
        let local = AWSEndpoint.resolve(service: "s3", region: "us-east-1", environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:5000/"])
        #expect(local == AWSEndpoint(scheme: "http", host: "127.0.0.1", port: 5000, basePath: "", isCustom: true))
        #expect(local.hostHeader == "127.0.0.1:5000")
        let specific = AWSEndpoint.resolve(service: "s3", region: "us-east-1",
                                           environment: ["AWS_ENDPOINT_URL": "http://a:1", "AWS_ENDPOINT_URL_S3": "https://minio.internal"])
        #expect(specific.host == "minio.internal" && specific.hostHeader == "minio.internal")
        #expect(AWSEndpoint.resolve(service: "events", region: "us-east-1", environment: ["AWS_ENDPOINT_URL_EVENTBRIDGE": "http://e:2"]).host == "e")
        #expect(AWSEndpoint(url: "ftp://x") == nil)
    }

    @Test func dateRootsStartAtTheSinceDay() throws {
        let since = try #require(Timestamp(iso8601: "2023-11-04T13:00:00Z"))
        #expect(S3LogListing.startAfter(prefix: "AWSLogs/1/CloudTrail/us-east-1/", hive: false, since: since)
                == "AWSLogs/1/CloudTrail/us-east-1/2023/11/04")
        #expect(S3LogListing.startAfter(prefix: "x/", hive: true, since: since) == "x/year=2023/month=11/day=04")
        #expect(S3LogListing.isYear("2023") && S3LogListing.isYear("year=2023") && !S3LogListing.isYear("us-east-1") && !S3LogListing.isYear("20231"))
        #expect(S3LogListing.lastComponent("AWSLogs/1/CloudTrail/us-east-1/2023/") == "2023")
    }
}
