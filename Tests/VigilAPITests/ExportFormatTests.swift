import Foundation
import Testing
import VigilModel
import VigilPublish

/// Files and webhooks in each export format: GuardDuty's event as it is, ASFF, and an OCSF 1.1
/// Detection Finding carrying every attribute the schema requires of it.
@Suite struct ExportFormatTests {
    static let event = EventDelivery.envelope(SecurityFindingFormatTests.finding, now: Date(timeIntervalSince1970: 1_700_000_000))

    /// The attributes OCSF 1.1 requires: of `base_event` (and so of `detection_finding`), of
    /// `finding` (`finding_info`), and of the objects they hold.
    static let requiredByOCSF: [String] = ["activity_id", "category_uid", "class_uid", "type_uid", "severity_id", "time", "metadata",
                                           "finding_info"]

    @Test func ocsfDetectionFindingHasWhatTheSchemaRequires() throws {
        let text = try #require(ExportFormat.ocsf.render(event: Self.event))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        for key in Self.requiredByOCSF { #expect(object[key] != nil, "\(key)") }
        #expect(object["class_uid"] as? Int == 2004 && object["category_uid"] as? Int == 2)
        #expect(object["type_uid"] as? Int == 200_402)  // seen 3 times: an update
        #expect(object["severity_id"] as? Int == 4)
        #expect(object["time"] as? Int64 == 1_700_000_160_000 || object["time"] as? Int == 1_700_000_160_000)
        let info = try #require(object["finding_info"] as? [String: Any])
        #expect(info["uid"] as? String == "f" && info["title"] as? String == "t")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["version"] as? String == "1.1.0")
        let product = try #require(metadata["product"] as? [String: Any])
        #expect(product["vendor_name"] as? String == "Vigil" && product["name"] != nil)
        let cloud = try #require(object["cloud"] as? [String: Any])
        #expect(cloud["provider"] as? String == "AWS" && cloud["region"] as? String == "eu-west-1")
        let resources = try #require(object["resources"] as? [[String: Any]])
        #expect(resources.first?["uid"] as? String == "i-0abc")
    }

    @Test func eachFormatFromTheSameEvent() throws {
        #expect(ExportFormat.guardDuty.render(event: Self.event) == Self.event)
        let asff = try #require(ExportFormat.asff.render(event: Self.event))
        #expect(asff.contains(#""SchemaVersion":"2018-10-08""#))
        #expect(ExportFormat.ocsf.render(event: "{}") == nil)
        #expect(ExportFormat.asff.render(event: #"{"detail": {"id": 1}}"#) == nil)
    }

    @Test func filesAndWebhooksNameTheirFormat() throws {
        let text = #"""
            {"files": ["/var/log/a.jsonl", {"path": "/var/log/b.ocsf.jsonl", "format": "ocsf"}],
             "webhooks": [{"url": "https://h.example/x", "secret": "s", "format": "asff"}]}
            """#
        let delivery = try JSONDecoder().decode(EventDelivery.self, from: Data(text.utf8))
        #expect(delivery.files == ["/var/log/a.jsonl", "/var/log/b.ocsf.jsonl"])
        #expect(delivery.fileFormats == ["/var/log/b.ocsf.jsonl": .ocsf])
        #expect(delivery.webhooks.first?.format == .asff)
        let again = try JSONDecoder().decode(EventDelivery.self, from: JSONEncoder().encode(delivery))
        #expect(again == delivery)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(EventDelivery.self, from: Data(#"{"files": [{"path": "/x", "format": "cef"}]}"#.utf8))
        }
    }

    @Test func destinationsStoreTheFindingOrItsDocument() throws {
        let line = try #require(ExportFormat.guardDuty.destinationLine(event: Self.event))
        let finding = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(finding["id"] as? String == "f" && finding["detail-type"] == nil)
        let ocsf = try #require(ExportFormat.ocsf.destinationLine(event: Self.event))
        #expect(ocsf.contains(#""class_uid":2004"#))
        let configured = try JSONDecoder().decode(EventDelivery.self, from: Data(#"{"destinationFormat": "asff"}"#.utf8))
        #expect(configured.destinationFormat == .asff)
    }
}
