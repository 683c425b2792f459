import Foundation
import VigilGeo
import VigilLogs
import VigilModel

/// `UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS` and `.InsideAWS` — the
/// temporary credentials EC2 delivers to an instance (an assumed role whose session name is the
/// instance ID) used from an address that is not the instance's.
///
/// An instance calls AWS from its own public address, its NAT gateway's or a VPC endpoint (a
/// private address), all inside AWS. So a call with the instance's credentials from an address
/// whose autonomous system is not Amazon's is `OutsideAWS` at once. The AWS addresses an instance
/// uses in the first hour its credentials are seen are learned as its own (at most four); a later
/// call from another AWS address is `InsideAWS` — the credentials taken to an instance elsewhere.
/// Without a geolocation database, any address outside the learned ones is reported as `OutsideAWS`.
/// Calls through AWS services (no address) and from private addresses are never reported. Keeps at
/// most ``BaselineSettings/maxInstances`` instances (cleared when full).
public final class InstanceCredentialUse: CloudTrailDetector, LearningDetector {
    public let name = "instance-credential-use"
    public static let outside = "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS"
    public static let inside = "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS"
    public let findingTypes = [InstanceCredentialUse.outside, InstanceCredentialUse.inside]
    public let eventNames: Set<String>? = nil

    struct Instance: Codable {
        var firstSeen: Int64
        var lastSeen: Int64
        var addresses: [String]
    }

    private let settings: BaselineSettings
    private let geo: IPEnricher?
    private(set) var instances: [String: Instance] = [:]

    public init(settings: BaselineSettings = BaselineSettings(), geo: IPEnricher?) {
        self.settings = settings
        self.geo = geo
    }

    public func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
        guard event.identityType.equals("AssumedRole"), let instanceId = Self.instanceId(event.identityArn),
              let address = event.sourceAddress, !address.isPrivate else { return }
        let time = event.eventTime.secondsSinceEpoch
        let addressText = "\(address)"
        if instances[instanceId] == nil {
            if instances.count >= settings.maxInstances { instances.removeAll(keepingCapacity: true) }
            instances[instanceId] = Instance(firstSeen: time, lastSeen: time, addresses: [])
        }
        var instance = instances[instanceId]!
        instance.lastSeen = max(instance.lastSeen, time)
        defer { instances[instanceId] = instance }
        if instance.addresses.contains(addressText) { return }
        let origin = CallOrigin(event, geo: geo)
        let learning = time - instance.firstSeen < 3600
        let type: String
        switch origin.isAWS {
        case false?:
            type = Self.outside
        case true?:
            if learning && instance.addresses.count < 4 {
                instance.addresses.append(addressText)
                return
            }
            type = Self.inside
        case nil:
            if learning && instance.addresses.count < 4 {
                instance.addresses.append(addressText)
                return
            }
            type = Self.outside
        }
        let role = event.sessionIssuerUserName.string ?? "a role"
        let api = event.eventName.string ?? "an API"
        sink.report(context.observation(
            type,
            title: "Credentials of instance \(instanceId) were used from \(type == Self.outside ? "outside AWS" : "another address in AWS").",
            description: "The temporary credentials of role \(role) that EC2 delivered to instance \(instanceId) called \(api) from \(origin.text), which is not an address of the instance\(instance.addresses.isEmpty ? "" : " (it calls from \(instance.addresses.joined(separator: ", ")))"): the credentials have been taken off the instance.",
            identity: .init(resource: instanceId, actor: addressText),
            details: ["instanceId": instanceId, "role": role, "instanceAddresses": instance.addresses.joined(separator: ", ")]))
    }

    /// The instance ID that is the session name of an instance role's ARN
    /// (`arn:aws:sts::123456789012:assumed-role/WebRole/i-0a1b2c3d4e5f67890`).
    static func instanceId(_ arn: RawText) -> String? {
        guard arn.count > 12, let start = arn.start else { return nil }
        var slash = arn.count - 1
        while slash > 0 && start[slash] != UInt8(ascii: "/") { slash -= 1 }
        let length = arn.count - slash - 1
        guard length >= 10, length <= 19, start[slash + 1] == UInt8(ascii: "i"), start[slash + 2] == UInt8(ascii: "-") else { return nil }
        for i in (slash + 3)..<arn.count {
            let b = start[i]
            guard (b >= 48 && b <= 57) || (b >= 97 && b <= 102) else { return nil }
        }
        return arn.dropFirst(slash + 1).string
    }

    private struct SavedState: Codable {
        var version = 1
        var instances: [String: Instance]
    }

    /// Saves the instances seen within ``BaselineSettings/retireAfterDays`` of the newest (older ones are aged out).
    public func saveState() throws -> Data {
        let newest = instances.values.map(\.lastSeen).max() ?? 0
        instances = instances.filter { $0.value.lastSeen >= newest - settings.retireSeconds }
        return try JSONEncoder().encode(SavedState(instances: instances))
    }

    public func restoreState(_ data: Data) throws {
        do {
            let saved = try JSONDecoder().decode(SavedState.self, from: data)
            guard saved.version == 1 else { throw LearnedStateError(detector: name, reason: "version \(saved.version) is not understood") }
            instances = saved.instances
        } catch let error as LearnedStateError {
            throw error
        } catch {
            throw LearnedStateError(detector: name, reason: "\(error)")
        }
    }
}
