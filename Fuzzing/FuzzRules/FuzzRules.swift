import FuzzSupport
import VigilDetection
import VigilLogs
import VigilModel
import VigilRules

/// libFuzzer target: any bytes as a Sigma rule file (YAML, any number of documents), loaded —
/// every problem reported, nothing trusted — and what loads run over a few CloudTrail events, flow
/// records and Resolver queries through the real reader and engine (`vigil rules test`'s path and
/// the detectors' own).
let logs: [(path: String, text: String)] = [
    ("trail.json", #"{"Records":[{"eventVersion":"1.09","eventTime":"2026-11-02T03:00:00Z","eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.23","userAgent":"aws-cli/2","eventID":"e1","requestParameters":{"userName":"bob","items":[{"n":1},{"n":"two"}]},"responseElements":{"accessKey":{"userName":"bob"}},"userIdentity":{"type":"IAMUser","principalId":"AIDAM","arn":"arn:aws:iam::111122223333:user/mallory","accountId":"111122223333","accessKeyId":"AKIAM","userName":"mallory"}},{"eventVersion":"1.09","eventTime":"2026-11-02T03:01:00Z","eventSource":"sts.amazonaws.com","eventName":"GetCallerIdentity","awsRegion":"us-east-1","sourceIPAddress":"AWS Internal","eventID":"e2","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/web/i-0abc","sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::111122223333:role/web"}}}}]}"#),
    ("flow.log", "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n2 111122223333 eni-1 10.0.1.5 198.51.100.9 50123 445 6 10 840 1700000000 1700000060 ACCEPT OK\n"),
    ("dns.log", #"{"version":"1.1","account_id":"111122223333","region":"us-east-1","vpc_id":"vpc-1","query_timestamp":"2023-11-14T22:15:00Z","query_name":"pastebin.com.","query_type":"A","rcode":"NOERROR","answers":[{"Rdata":"104.20.67.143","Type":"A"}],"srcaddr":"10.0.1.5","srcids":{"instance":"i-0abc"}}"# + "\n"),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let set = RuleSet(texts: [("fuzz.yml", text)])
    for problem in set.problems { _ = problem.description }
    guard !set.isEmpty || !set.rules.isEmpty else { return 0 }
    let aggregator = FindingAggregator()
    let engine = DetectionEngine(detectors: set.makeDetectors(), sink: aggregator)
    let tester = RuleTester(rules: set)
    let reader = LogReader()
    for (path, log) in logs {
        var bytes = Array(log.utf8)
        bytes.withUnsafeMutableBytes { raw in
            _ = reader.read(bytes: UnsafeRawBufferPointer(raw), path: path, into: engine)
            _ = reader.read(bytes: UnsafeRawBufferPointer(raw), path: path, into: tester)
        }
    }
    _ = AttackSequenceCorrelator().correlate(aggregator.drain())
    return 0
}

@_cdecl("FuzzRules_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { fuzz($0, $1) }
}
