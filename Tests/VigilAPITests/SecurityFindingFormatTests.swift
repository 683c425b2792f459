import Foundation
import Testing
import VigilModel
import VigilPublish

/// Findings in ASFF carry every attribute Security Hub requires, with GuardDuty's severities and
/// types mapped as documented, and the configuration's AWS delivery targets are read and checked.
@Suite struct SecurityFindingFormatTests {
    static let finding = Finding(
        accountId: "123456789012", arn: "arn:aws:guardduty:eu-west-1:123456789012:detector/d/finding/f", createdAt: "2023-11-14T22:15:00.000Z",
        description: "d", id: "f", region: "eu-west-1",
        resource: Resource(instanceDetails: InstanceDetails(instanceId: "i-0abc"), resourceType: "Instance"),
        service: Service(count: 3, eventFirstSeen: "2023-11-14T22:15:00.000Z", eventLastSeen: "2023-11-14T22:16:00.000Z"),
        severity: 8, title: "t", type: "Recon:EC2/Portscan", updatedAt: "2023-11-14T22:16:00.000Z")

    @Test func requiredAttributesAndMappings() throws {
        let asff = SecurityFindingFormat.finding(Self.finding)
        for key in ["SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "Types", "CreatedAt", "UpdatedAt", "Severity", "Title",
                    "Description", "Resources"] {
            #expect(asff[key] != nil, "\(key)")
        }
        #expect(asff["Types"] as? [String] == ["TTPs/Discovery/Recon:EC2-Portscan"])
        #expect((asff["Severity"] as? [String: Any])?["Label"] as? String == "HIGH")
        let resource = try #require((asff["Resources"] as? [[String: Any]])?.first)
        #expect(resource["Type"] as? String == "AwsEc2Instance")
        #expect(resource["Id"] as? String == "arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc")
        #expect(asff["ProductArn"] as? String == "arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default")
        #expect(JSONSerialization.isValidJSONObject(asff))
        var low = Self.finding
        low.severity = 2
        low.type = "CryptoCurrency:EC2/BitcoinTool.B!DNS"
        let lowASFF = SecurityFindingFormat.finding(low)
        #expect((lowASFF["Severity"] as? [String: Any])?["Label"] as? String == "LOW")
        #expect(lowASFF["Types"] as? [String] == ["Effects/Resource Consumption/CryptoCurrency:EC2-BitcoinTool.B!DNS"])
    }

    @Test func awsTargetsFromTheConfiguration() throws {
        let text = #"{"eventBridge": [{"eventBusName": "b"}], "sns": [{"topicArn": "arn:aws:sns:eu-west-1:123456789012:t"}], "securityHub": [{}]}"#
        let delivery = try JSONDecoder().decode(EventDelivery.self, from: Data(text.utf8))
        #expect(delivery.targets == ["eventbridge:0", "sns:0", "securityhub:0"])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(EventDelivery.self, from: Data(#"{"sns": [{"topicArn": "arn:aws:sqs:eu-west-1:1:q"}]}"#.utf8))
        }
    }
}
