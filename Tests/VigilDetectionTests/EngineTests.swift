import Foundation
import Testing
import VigilDetection
import VigilIntel
import VigilLogs
import VigilModel
import VigilTesting

@Suite struct EngineTests {
    static func rootEvent(id: String, time: String, ip: String = "198.51.100.7") throws -> [String: Any] {
        var event = try CorpusEvents.event(CorpusEvents.panther, rule: "AWS.Root.Activity", test: "Root Activity")
        event["eventID"] = id
        event["eventTime"] = time
        event["sourceIPAddress"] = ip
        return event
    }

    @Test func repeatsAggregateIntoOneFindingWithCountAndTimes() throws {
        let events = try [
            Self.rootEvent(id: "a", time: "2023-11-14T10:00:00Z"),
            Self.rootEvent(id: "b", time: "2023-11-14T12:00:00Z"),
            Self.rootEvent(id: "c", time: "2023-11-14T11:00:00Z"),
        ]
        let findings = try CorpusEvents.findings(events, RootCredentialUsage())
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.service?.count == 3)
        #expect(finding.service?.eventFirstSeen == "2023-11-14T10:00:00.000Z")
        #expect(finding.service?.eventLastSeen == "2023-11-14T12:00:00.000Z")
        #expect(finding.createdAt == "2023-11-14T10:00:00.000Z")
        #expect(finding.updatedAt == "2023-11-14T12:00:00.000Z")
        let info = try #require(finding.service?.additionalInfo?.value)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(info.utf8)) as? [String: Any])
        #expect(object["triggeringEventIds"] as? [String] == ["a", "b", "c"])
        #expect((object["evidenceLocations"] as? [String])?.first == "test/events.jsonl:line 1")
    }

    @Test func differentActorsMakeDifferentFindings() throws {
        let events = try [Self.rootEvent(id: "a", time: "2023-11-14T10:00:00Z", ip: "198.51.100.7"),
                          Self.rootEvent(id: "b", time: "2023-11-14T10:00:00Z", ip: "203.0.113.9")]
        #expect(try CorpusEvents.findings(events, RootCredentialUsage()).count == 2)
    }

    @Test func duplicateEventIdsAreDroppedAndCounted() throws {
        let event = try Self.rootEvent(id: "same", time: "2023-11-14T10:00:00Z")
        let lines = try [event, event].map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }.joined(separator: "\n")
        let aggregator = FindingAggregator()
        let engine = DetectionEngine(detectors: [RootCredentialUsage()], sink: aggregator)
        var bytes = Array(lines.utf8)
        bytes.withUnsafeMutableBytes { _ = LogReader().read(bytes: UnsafeRawBufferPointer($0), path: "dup.jsonl", into: engine) }
        #expect(engine.duplicateEvents == 1)
        #expect(aggregator.findings.first?.service?.count == 1)
    }

    @Test func findingIdsAreDeterministicAndShaped() throws {
        let events = try [Self.rootEvent(id: "a", time: "2023-11-14T10:00:00Z")]
        let first = try CorpusEvents.findings(events, RootCredentialUsage())
        let second = try CorpusEvents.findings(events, RootCredentialUsage())
        #expect(first == second)
        let finding = try #require(first.first)
        #expect(finding.id.count == 32)
        #expect(finding.id.allSatisfy { $0.isHexDigit })
        let detector = try #require(finding.service?.detectorId)
        #expect(finding.arn == "arn:aws:guardduty:\(finding.region):\(finding.accountId):detector/\(detector)/finding/\(finding.id)")
    }

    final class CountingDetector: CloudTrailDetector {
        let name = "counting"
        let findingTypes: [FindingType] = []
        let eventNames: Set<String>?
        var seen: [String] = []
        init(_ names: Set<String>?) { eventNames = names }
        func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
            seen.append(event.eventName.string ?? "")
        }
    }

    @Test func routesOnlyDeclaredEventNames() throws {
        let routed = CountingDetector(["StopLogging", "DeleteTrail"])
        let everything = CountingDetector(nil)
        let text = ["StopLogging", "ListBuckets", "DeleteTrail", "StopLoggingX", "Stop"].enumerated().map {
            #"{"eventTime":"2023-11-14T10:00:00Z","eventName":"\#($0.element)","eventID":"\#($0.offset)"}"#
        }.joined(separator: "\n")
        _ = DetectionHarness.findings(text: text, detectors: [routed, everything])
        #expect(routed.seen == ["StopLogging", "DeleteTrail"])
        #expect(everything.seen.count == 5)
    }

    @Test func intelDetectorsOnlyWithLists() throws {
        #expect(!LogScan.builtInDetectors().contains { $0.name.hasPrefix("threat-intel") })
        let path = SharedData.packageRoot.appendingPathComponent("Tests/VigilIntelTests/Fixtures/threats.txt").path
        let intel = try ThreatIntelligence.load(threatLists: [ThreatListSource(category: .custom, path: path)])
        #expect(LogScan.builtInDetectors(intel: intel).filter { $0.name.hasPrefix("threat-intel") }.count == 3)
    }

    @Test func everyDetectorRaisesOnlyCatalogueTypes() {
        for detector in LogScan.builtInDetectors() {
            for type in detector.findingTypes { #expect(FindingCatalogue.info(type) != nil, "\(type)") }
        }
    }

    @Test func sampleEstateRaisesTheExpectedCloudTrailFinding() throws {
        let scan = LogScan()
        for file in try LogFileFinder.files(under: [SharedData.path("samples")]) { scan.read(path: file) }
        #expect(scan.findings.map(\.type).contains("Stealth:IAMUser/CloudTrailLoggingDisabled"))
        #expect(scan.statistics.totalBadRecords == 0)
    }
}

/// A detector may raise only the finding types it declares: the engine drops any other.
@Suite struct DeclaredTypesTests {
    final class Overreaching: CloudTrailDetector {
        let name = "overreaching"
        let findingTypes: [FindingType] = [.policyIAMUserRootCredentialUsage]
        let eventNames: Set<String>? = nil
        func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
            for type in [FindingType.policyIAMUserRootCredentialUsage, .stealthIAMUserCloudTrailLoggingDisabled] {
                sink.report(context.observation(type, title: "t", description: "d", identity: .init(resource: "r", actor: "a")))
            }
        }
    }

    @Test func undeclaredTypesAreRefused() throws {
        let aggregator = FindingAggregator()
        let engine = DetectionEngine(detectors: [Overreaching()], sink: aggregator)
        let text = #"{"Records":[{"eventVersion":"1.08","eventTime":"2026-11-30T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","eventID":"e1","recipientAccountId":"111122223333","userIdentity":{"type":"Root","accountId":"111122223333"}}]}"#
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { _ = LogReader().read(bytes: UnsafeRawBufferPointer($0), path: "t.json", into: engine) }
        #expect(aggregator.findings.map(\.type) == ["Policy:IAMUser/RootCredentialUsage"])
        #expect(engine.undeclaredObservations == 1)
    }

    @Test func everyCatalogueTypeIsAConstantAndEveryConstantCatalogued() {
        #expect(FindingCatalogue.all.count == 72)
        for info in FindingCatalogue.all {
            #expect(FindingType(named: info.type.name) == info.type)
            #expect(info.type.info == info)
        }
        #expect(FindingType(named: "Recon:EC2/Portscann") == nil)
        #expect(FindingType.custom("Vigil:IAMUser/Custom").info == nil)
    }
}
