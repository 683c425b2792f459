import Foundation
import Testing
import VigilLogs
import VigilModel
import VigilTesting

@Suite struct ResolverReaderTests {
    @Test func readsSampleQueryLog() throws {
        let files = try LogFileFinder.files(under: [SharedData.path("samples/r53")]).filter { $0.hasSuffix(".log.gz") }
        let file = try #require(files.first)
        let reader = LogReader()
        let handler = RecordingHandler()
        #expect(reader.read(path: file, into: handler) == .read(.resolverLines, records: 1368))
        let q = try #require(handler.queries.first)
        #expect(q[.queryName]?.hasSuffix(".") == true)
        #expect(q[.srcport] != nil)
        #expect(handler.queries.contains { $0[.queryType] == "NULL" })
        #expect(handler.queries.contains { $0[.rcode] == "NXDOMAIN" })
        #expect(reader.statistics[.dns].records == 1368)
        let layout = try #require(handler.sources.first?.layout)
        #expect(layout.service == .resolverQueryLogs)
        #expect(layout.vpcId?.hasPrefix("vpc-") == true)
    }

    @Test func readsAWSDocumentationExample() throws {
        let text = #"{"srcaddr":"4.5.64.102","vpc_id":"vpc-7example","answers":[{"Rdata":"203.0.113.9","Type":"PTR","Class":"IN"}],"firewall_rule_group_id":"rslvr-frg-01234567890abcdef","firewall_rule_action":"BLOCK","query_name":"15.3.4.32.in-addr.arpa.","firewall_domain_list_id":"rslvr-fdl-01234567890abcdef","query_class":"IN","srcids":{"instance":"i-0d15cd0d3example"},"rcode":"NOERROR","query_type":"PTR","transport":"UDP","version":"1.100000","account_id":"111122223333","srcport":"56067","query_timestamp":"2021-02-04T17:51:55Z","region":"us-east-1"}"#
        let handler = RecordingHandler()
        var bytes = Array((text + "\n").utf8)
        bytes.withUnsafeMutableBytes { _ = LogReader().read(bytes: UnsafeRawBufferPointer($0), path: "q.log", into: handler) }
        let q = try #require(handler.queries.first)
        #expect(q[.instance] == "i-0d15cd0d3example")
        #expect(q[.firewallRuleAction] == "BLOCK")
        #expect(q[.answers] == #"[{"Rdata":"203.0.113.9","Type":"PTR","Class":"IN"}]"#)
        #expect(q[.srcport] == "56067")
        #expect(q[.version] == "1.100000")
    }
}
