import Foundation
import Testing
import VigilModel

@Suite struct FindingCodingTests {
    static let sample = Finding(
        accountId: "123456789012", arn: Finding.arn(region: "us-east-1", accountId: "123456789012", detectorId: "d", findingId: "f"),
        createdAt: "2023-11-14T22:15:00.000Z", description: "d", id: "f", region: "us-east-1",
        resource: Resource(
            accessKeyDetails: AccessKeyDetails(accessKeyId: "AKIA", principalId: "AIDA", userName: "alice", userType: "IAMUser"),
            instanceDetails: InstanceDetails(instanceId: "i-1", networkInterfaces: [NetworkInterface(networkInterfaceId: "eni-1", privateIpAddress: "10.0.0.1")],
                                             productCodes: [ProductCode(code: "abc", productType: "marketplace")]),
            resourceType: "Instance"),
        service: Service(action: .portProbe(PortProbeAction(blocked: false, portProbeDetails: [
            PortProbeDetail(localPortDetails: LocalPortDetails(port: 22, portName: "SSH"), remoteIpDetails: RemoteIpDetails(ipAddressV4: "198.51.100.1")),
        ])), count: 3, eventFirstSeen: "2023-11-14T22:15:00.000Z", resourceRole: "TARGET"),
        severity: 2, title: "t", type: "Recon:EC2/PortProbeUnprotectedPort", updatedAt: "2023-11-14T22:16:00.000Z")

    @Test func roundTrips() throws {
        let data = try JSONEncoder().encode(Self.sample)
        #expect(try JSONDecoder().decode(Finding.self, from: data) == Self.sample)
    }

    @Test func usesWireNamesAndOmitsAbsentMembers() throws {
        let data = try JSONEncoder().encode(Self.sample)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["schemaVersion"] as? String == "2.0")
        #expect(object["confidence"] == nil)
        let resource = try #require(object["resource"] as? [String: Any])
        #expect(resource["s3BucketDetails"] == nil)
        let instance = try #require(resource["instanceDetails"] as? [String: Any])
        let codes = try #require(instance["productCodes"] as? [[String: Any]])
        #expect(codes.first?["productCodeId"] as? String == "abc")
        #expect(codes.first?["productCodeType"] as? String == "marketplace")
        let service = try #require(object["service"] as? [String: Any])
        let action = try #require(service["action"] as? [String: Any])
        #expect(action["actionType"] as? String == "PORT_PROBE")
    }
}
