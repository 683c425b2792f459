import Foundation
import Testing
import VigilModel
import VigilTesting

@Suite struct FindingCatalogueTests {
    @Test func catalogueMatchesGuardDutyTable() throws {
        let text = try String(contentsOfFile: SharedData.path("guardduty/finding-types.tsv"), encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(rows.count == 72)
        #expect(FindingCatalogue.all.count == 72)
        for row in rows {
            let type = String(row[0])
            let info = try #require(FindingCatalogue.info(type), "missing \(type)")
            let severity = String(row[2])
            #expect(info.severityLevel.rawValue == severity.replacingOccurrences(of: "*", with: ""), "\(type)")
            #expect(info.variesWithContext == severity.hasSuffix("*"), "\(type)")
            let source = String(row[1])
            switch info.dataSource {
            case .cloudTrail: #expect(source.hasPrefix("CloudTrail"), "\(type)")
            case .flowLogs: #expect(source == "VPC Flow Logs", "\(type)")
            case .dns: #expect(source == "DNS logs", "\(type)")
            }
        }
        #expect(Set(FindingCatalogue.all.map(\.type)).count == 72)
    }

    @Test(arguments: [(1.0, SeverityLevel.low), (3.9, .low), (4.0, .medium), (6.9, .medium), (7.0, .high),
                      (8.9, .high), (9.0, .critical), (10.0, .critical)])
    func severityBands(value: Double, level: SeverityLevel) {
        #expect(SeverityLevel(value) == level)
        #expect(level.range.contains(value))
        #expect(level.range.contains(level.typicalValue))
    }

    @Test func threatPurposeIsThePrefix() throws {
        #expect(try #require(FindingCatalogue.info("Recon:IAMUser/TorIPCaller")).threatPurpose == "Recon")
    }
}
