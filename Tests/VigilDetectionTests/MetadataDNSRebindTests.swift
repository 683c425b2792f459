import Foundation
import Testing
import VigilDetection
import VigilLogs
import VigilModel
import VigilTesting

@Suite struct MetadataDNSRebindTests {
    static func query(_ name: String, answer: String, instance: String = "i-0web") -> String {
        #"{"version":"1.100000","account_id":"123456789012","region":"us-east-1","vpc_id":"vpc-1","query_timestamp":"2023-11-14T22:15:00Z","query_name":"\#(name)","query_type":"A","query_class":"IN","rcode":"NOERROR","answers":[{"Rdata":"\#(answer)","Type":"A","Class":"IN"}],"srcaddr":"10.0.1.60","srcport":"5353","transport":"UDP","srcids":{"instance":"\#(instance)"}}"#
    }

    @Test func firesOnNamesResolvingToTheMetadataService() throws {
        let text = [
            Self.query("169.254.169.254.nip.io.", answer: "169.254.169.254"),
            Self.query("rebind.attacker.example.", answer: "169.254.169.254", instance: "i-0app"),
            Self.query("www.example.com.", answer: "93.184.216.34", instance: "i-0clean"),
            Self.query("instance-data.ec2.internal.", answer: "169.254.169.254", instance: "i-0aws"),
        ].joined(separator: "\n")
        let findings = DetectionHarness.findings(text: text, detectors: [MetadataDNSRebind()], path: "dns.log")
        #expect(findings.map(\.type) == ["UnauthorizedAccess:EC2/MetadataDNSRebind", "UnauthorizedAccess:EC2/MetadataDNSRebind"])
        #expect(Set(findings.compactMap { $0.resource.instanceDetails?.instanceId }) == ["i-0web", "i-0app"])
        #expect(findings.allSatisfy { $0.severity == 8.0 && $0.service?.resourceRole == "ACTOR" })
    }

    @Test func sampleResolverLogRaisesNothing() throws {
        let scan = LogScan(detectors: [MetadataDNSRebind()])
        for file in try LogFileFinder.files(under: [SharedData.path("samples/r53")]) { scan.read(path: file) }
        #expect(scan.findings.isEmpty)
    }
}
