import Foundation
import Testing
import VigilDetection
import VigilModel
import VigilTesting
@testable import VigilRules

/// Rules over Vigil's other two sources: VPC Flow Logs (`service: vpcflowlogs`) and Resolver
/// query logs (`service: route53resolver`), fields named as in the logs.
@Suite struct SigmaFlowAndDNSTests {
    static func rule(_ service: String, _ detection: String) -> RuleSet {
        RuleSet(texts: [("\(service).yml", """
            title: \(service == "vpcflowlogs" ? "Outbound SMB To The Internet" : "Query For A Paste Site")
            id: 0f5c2b6e-0000-4000-8000-00000000f10\(service.count % 10)
            logsource: {product: aws, service: \(service)}
            detection:
            \(detection.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            level: high
            tags: [attack.exfiltration]
            """)])
    }

    static let flows = """
        version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
        2 111122223333 eni-0a1 10.0.1.5 198.51.100.9 50123 445 6 10 840 1700000000 1700000060 ACCEPT OK
        2 111122223333 eni-0a1 10.0.1.5 10.0.2.9 50124 445 6 10 840 1700000000 1700000060 ACCEPT OK
        2 111122223333 eni-0a1 10.0.1.5 198.51.100.9 50125 443 6 10 840 1700000000 1700000060 ACCEPT OK
        2 111122223333 eni-0a1 10.0.1.5 198.51.100.10 50126 445 6 3 180 1700000000 1700000060 REJECT OK

        """

    @Test func flowRulesReadFlowFields() throws {
        let set = Self.rule("vpcflowlogs", """
            selection:
                dstport: 445
                action: ACCEPT
                protocol: 6
            filter_private:
                dstaddr|cidr:
                    - 10.0.0.0/8
                    - 172.16.0.0/12
                    - 192.168.0.0/16
            condition: selection and not filter_private
            """)
        #expect(set.errors.isEmpty, "\(set.errors)")
        let findings = DetectionHarness.findings(text: Self.flows, detectors: set.makeDetectors(), path: "AWSLogs/111122223333/vpcflowlogs/us-east-1/2023/11/14/f.log")
        #expect(findings.map(\.type) == ["Exfiltration:EC2/Sigma.OutboundSMBToTheInternet"])
        #expect(findings.first?.service?.action?.networkConnectionAction?.remoteIpDetails?.ipAddressV4 == "198.51.100.9")
        #expect(findings.first?.service?.count == 1)
    }

    static let queries = """
        {"version":"1.100000","account_id":"111122223333","region":"us-east-1","vpc_id":"vpc-1","query_timestamp":"2023-11-14T22:15:00Z","query_name":"pastebin.com.","query_type":"A","query_class":"IN","rcode":"NOERROR","answers":[{"Rdata":"104.20.67.143","Type":"A","Class":"IN"}],"srcaddr":"10.0.1.5","srcport":"53421","transport":"UDP","srcids":{"instance":"i-0abc"}}
        {"version":"1.100000","account_id":"111122223333","region":"us-east-1","vpc_id":"vpc-1","query_timestamp":"2023-11-14T22:16:00Z","query_name":"example.com.","query_type":"A","query_class":"IN","rcode":"NOERROR","answers":[{"Rdata":"93.184.216.34","Type":"A","Class":"IN"}],"srcaddr":"10.0.1.5","srcport":"53422","transport":"UDP","srcids":{"instance":"i-0abc"}}

        """

    @Test func dnsRulesReadQueryFieldsAndAnswers() throws {
        let set = Self.rule("route53resolver", """
            selection_name:
                query_name|endswith: 'pastebin.com.'
            selection_answer:
                answers.Rdata|cidr: 104.20.0.0/16
            condition: selection_name and selection_answer
            """)
        #expect(set.errors.isEmpty, "\(set.errors)")
        let findings = DetectionHarness.findings(text: Self.queries, detectors: set.makeDetectors(), path: "q.log")
        #expect(findings.map(\.type) == ["Exfiltration:EC2/Sigma.QueryForAPasteSite"])
        #expect(findings.first?.resource.instanceDetails?.instanceId == "i-0abc")
    }

    @Test func unknownFieldsAndCorrelationsOverThemAreReported() {
        let flow = Self.rule("vpcflowlogs", "selection:\n    dst_port: 445\ncondition: selection")
        #expect(flow.errors.first?.message.contains("Vigil does not read a field `dst_port` of vpcflowlogs records") == true)
        let base = Self.rule("vpcflowlogs", "selection:\n    dstport: 445\ncondition: selection").rules
        #expect(base.count == 1)
        let correlation = RuleSet(texts: [
            ("f.yml", "title: SMB\nname: smb\nlogsource: {product: aws, service: vpcflowlogs}\ndetection:\n    s:\n        dstport: 445\n    condition: s\n"),
            ("c.yml", "title: Many SMB\ncorrelation:\n    type: event_count\n    rules: smb\n    timespan: 5m\n    condition: {gte: 10}\n"),
        ])
        #expect(correlation.correlations.isEmpty)
        #expect(correlation.errors.first?.message.contains("correlations are supported over CloudTrail rules") == true)
    }
}
