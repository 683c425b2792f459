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
    public static let outside = FindingType.unauthorizedAccessIAMUserInstanceCredentialExfiltrationOutsideAWS
    public static let inside = FindingType.unauthorizedAccessIAMUserInstanceCredentialExfiltrationInsideAWS
    public let findingTypes = [InstanceCredentialUse.outside, InstanceCredentialUse.inside]
    public let eventNames: Set<String>? = nil

    struct Instance: Codable {
        var firstSeen: Int64
        var lastSeen: Int64
        /// The instance's own addresses (at most four), as the two halves of each `IPAddress`.
        var addresses: [UInt64]

        func holds(_ a: IPAddress) -> Bool {
            var i = 0
            while i + 1 < addresses.count {
                if addresses[i] == a.high && addresses[i + 1] == a.low { return true }
                i += 2
            }
            return false
        }

        var count: Int { addresses.count / 2 }
        var texts: [String] { stride(from: 0, to: addresses.count - 1, by: 2).map { "\(IPAddress(high: addresses[$0], low: addresses[$0 + 1]))" } }
    }

    private let settings: BaselineSettings
    /// This detector's own reader of the shared enricher (see ``GeoFactsReader``).
    private let geo: GeoFactsReader?
    /// Instances by the hash of their ID's bytes (no string is made unless a finding is).
    private(set) var instances: [UInt64: Instance] = [:]

    public init(settings: BaselineSettings = BaselineSettings(), geo: IPEnricher?) {
        self.settings = settings
        self.geo = geo.map(GeoFactsReader.init)
    }

    public func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
        guard event.identityType.equals("AssumedRole"), let session = Self.instanceSession(event.identityArn),
              let address = event.sourceAddress, !address.isPrivate else { return }
        let time = event.eventTime.secondsSinceEpoch
        let key = ByteHash.fnv1a(session.bytes)
        if instances[key] == nil {
            if instances.count >= settings.maxInstances { instances.removeAll(keepingCapacity: true) }
            instances[key] = Instance(firstSeen: time, lastSeen: time, addresses: [])
        }
        if time > instances[key]!.lastSeen { instances[key]!.lastSeen = time }
        let instance = instances[key]!
        if instance.holds(address) { return }
        let origin = CallOrigin(event, geo: geo)
        let learning = time - instance.firstSeen < 3600
        let type: FindingType
        switch origin.isAWS {
        case false?:
            type = Self.outside
        case true?, nil:
            if learning && instance.count < 4 {
                instances[key]!.addresses += [address.high, address.low]
                return
            }
            type = origin.isAWS == true ? Self.inside : Self.outside
        }
        let instanceId = session.string ?? "unknown"
        let addressText = "\(address)"
        let own = instance.texts
        let role = event.sessionIssuerUserName.string ?? "a role"
        let api = event.eventName.string ?? "an API"
        sink.report(context.observation(
            type,
            title: "Credentials of instance \(instanceId) were used from \(type == Self.outside ? "outside AWS" : "another address in AWS").",
            description: "The temporary credentials of role \(role) that EC2 delivered to instance \(instanceId) called \(api) from \(origin.text), which is not an address of the instance\(own.isEmpty ? "" : " (it calls from \(own.joined(separator: ", ")))"): the credentials have been taken off the instance.",
            identity: .init(resource: instanceId, actor: addressText),
            details: ["instanceId": instanceId, "role": role, "instanceAddresses": own.joined(separator: ", ")]))
    }

    /// The instance ID that is the session name of an instance role's ARN
    /// (`arn:aws:sts::123456789012:assumed-role/WebRole/i-0a1b2c3d4e5f67890`), as a view of its bytes.
    static func instanceSession(_ arn: RawText) -> RawText? {
        guard arn.count > 12, let start = arn.start else { return nil }
        var slash = arn.count - 1
        while slash > 0 && start[slash] != UInt8(ascii: "/") { slash -= 1 }
        let length = arn.count - slash - 1
        guard length >= 10, length <= 19, start[slash + 1] == UInt8(ascii: "i"), start[slash + 2] == UInt8(ascii: "-") else { return nil }
        for i in (slash + 3)..<arn.count {
            let b = start[i]
            guard (b >= 48 && b <= 57) || (b >= 97 && b <= 102) else { return nil }
        }
        return arn.dropFirst(slash + 1)
    }

    static func instanceId(_ arn: RawText) -> String? { instanceSession(arn)?.string }

    private struct SavedState: Codable {
        var version = 2
        var instances: [UInt64: Instance]
    }

    /// Saves the instances seen within ``BaselineSettings/retireAfterDays`` of the newest (older ones are aged out).
    public func saveState() throws -> Data {
        let newest = instances.values.map(\.lastSeen).max() ?? 0
        instances = instances.filter { $0.value.lastSeen >= newest - settings.retireSeconds }
        return try JSONEncoder().encode(SavedState(instances: instances))
    }

    public func restoreState(_ data: Data) throws {
        instances = try decodeState(SavedState.self, from: data, version: 2).instances
    }
}
