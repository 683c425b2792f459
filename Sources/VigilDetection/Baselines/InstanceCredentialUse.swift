import Foundation
import VigilGeo
import VigilLogs
import VigilModel

/// `UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS` and `.InsideAWS` — the
/// temporary credentials EC2 delivers to an instance (an assumed role whose session name is the
/// instance ID) used from an address that is not the instance's.
///
/// An instance calls AWS from its own public address, its NAT gateway's or a VPC endpoint (a
/// private address), all inside AWS. Whether an address is AWS's is a published fact: AWS's
/// `ip-ranges.json` (``AWSIPRanges``, kept by `vigil intel update`) when at hand, else the
/// address's autonomous system (Amazon's ASNs, from the geolocation databases — which know every
/// announced network, so an address they know nothing of is not AWS's). So:
/// - a call from an address that is not AWS's is `OutsideAWS` at once, first call included — such
///   an address is never learned as the instance's;
/// - the AWS addresses an instance uses in the first hour its credentials are seen are learned as
///   its own (at most four) — unless `ip-ranges.json` places the address in another region than
///   the regional service it calls (an instance calls from its own region), which is `InsideAWS`;
/// - a later call from another AWS address is `InsideAWS` — the credentials taken to an instance
///   elsewhere;
/// - the account's own public addresses — Elastic IPs it allocates or associates and its NAT
///   gateways' addresses, as its CloudTrail tells — are every instance's own (a NAT gateway added
///   later moves the instances' calls to its address).
/// With no way to tell (no geolocation and no ranges), the first hour's addresses are learned
/// whatever they are and later ones are `OutsideAWS`. Calls through AWS services (no address) and
/// from private addresses are never reported. Keeps at most ``BaselineSettings/maxInstances``
/// instances and 4,096 account addresses (cleared when full).
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

    /// Where an address is, as far as this detector can tell.
    enum Placement: Equatable {
        /// Not AWS's.
        case outside
        /// AWS's; `region` when `ip-ranges.json` places it in one region as an EC2 address.
        case inside(region: String?)
        /// Nothing to tell by.
        case unknown
    }

    /// Services whose events carry `us-east-1` (or their endpoint's region) whatever the caller's region.
    static let globalServices: Set<String> = ["iam.amazonaws.com", "sts.amazonaws.com", "organizations.amazonaws.com", "route53.amazonaws.com",
                                              "cloudfront.amazonaws.com", "s3.amazonaws.com", "support.amazonaws.com", "health.amazonaws.com",
                                              "globalaccelerator.amazonaws.com", "signin.amazonaws.com", "account.amazonaws.com"]
    /// The calls that give the account a public address of its own.
    static let addressEvents: [StaticString] = ["AllocateAddress", "AssociateAddress", "CreateNatGateway"]

    private let settings: BaselineSettings
    /// This detector's own reader of the shared enricher (see ``GeoFactsReader``).
    private let geo: GeoFactsReader?
    /// Instances by the hash of their ID's bytes (no string is made unless a finding is).
    private(set) var instances: [UInt64: Instance] = [:]
    /// The account's own public addresses (Elastic IPs, NAT gateways).
    private(set) var accountAddresses: Set<IPAddress> = []

    public init(settings: BaselineSettings = BaselineSettings(), geo: IPEnricher?) {
        self.settings = settings
        self.geo = geo.map(GeoFactsReader.init)
    }

    public func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
        if !event.errorCode.isPresent, Self.addressEvents.contains(where: { event.eventName.equals($0) }) {
            learnAccountAddresses(event)
        }
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
        if instance.holds(address) || (!accountAddresses.isEmpty && accountAddresses.contains(address)) { return }
        let origin = CallOrigin(event, geo: geo)
        let placement = self.placement(of: address, origin: origin)
        let learning = time - instance.firstSeen < 3600
        let type: FindingType
        var elsewhere: String?
        switch placement {
        case .outside:
            type = Self.outside
        case .inside(let region):
            if let region, let called = event.awsRegion.string, region != called, let service = event.eventSource.string,
               !Self.globalServices.contains(service) {
                type = Self.inside
                elsewhere = region
            } else if learning && instance.count < 4 {
                instances[key]!.addresses += [address.high, address.low]
                return
            } else {
                type = Self.inside
            }
        case .unknown:
            if learning && instance.count < 4 {
                instances[key]!.addresses += [address.high, address.low]
                return
            }
            type = Self.outside
        }
        let instanceId = session.string ?? "unknown"
        let addressText = "\(address)"
        let own = instance.texts
        let role = event.sessionIssuerUserName.string ?? "a role"
        let api = event.eventName.string ?? "an API"
        let whereText = elsewhere.map { ", an EC2 address of \($0) while the call went to \(event.awsRegion.string ?? "?")," } ?? ""
        sink.report(context.observation(
            type,
            title: "Credentials of instance \(instanceId) were used from \(type == Self.outside ? "outside AWS" : "another address in AWS").",
            description: "The temporary credentials of role \(role) that EC2 delivered to instance \(instanceId) called \(api) from \(origin.text)\(whereText) which is not an address of the instance\(own.isEmpty ? "" : " (it calls from \(own.joined(separator: ", ")))"): the credentials have been taken off the instance.",
            identity: .init(resource: instanceId, actor: addressText),
            details: ["instanceId": instanceId, "role": role, "instanceAddresses": own.joined(separator: ", ")]))
    }

    /// Where `address` is: by AWS's published ranges when loaded, else by its autonomous system.
    func placement(of address: IPAddress, origin: CallOrigin) -> Placement {
        if let ranges = geo?.enricher.awsRanges {
            guard let network = ranges.network(address) else { return .outside }
            return .inside(region: network.isEC2 && network.region != "GLOBAL" ? network.region : nil)
        }
        switch origin.isAWS {
        case true?: return .inside(region: nil)
        case false?: return .outside
        case nil:
            // Databases that know networks know every announced one: an address they cannot place is not AWS's.
            return placesNetworks ? .outside : .unknown
        }
    }

    /// Whether the geolocation databases tell autonomous systems (asked once, of two anycast
    /// resolvers' addresses every such database places).
    private lazy var placesNetworks: Bool = {
        guard let geo else { return false }
        return ["8.8.8.8", "1.1.1.1"].contains { IPAddress($0).flatMap { geo.facts($0) }.map { $0.asn != 0 } ?? false }
    }()

    /// Records the public addresses an address event gives the account.
    private func learnAccountAddresses(_ event: CloudTrailEvent) {
        for field in [event.responseElements, event.requestParameters] where field.count > 12 {
            for text in InstanceInventory.stringValues(of: "\"publicIp\"", in: Array(field.bytes)) {
                guard let address = IPAddress(text), !address.isPrivate else { continue }
                if accountAddresses.count >= 4_096 { accountAddresses.removeAll(keepingCapacity: true) }
                accountAddresses.insert(address)
            }
        }
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
        var version = 3
        var instances: [UInt64: Instance]
        var accountAddresses: [String] = []
    }

    /// Saves the instances seen within ``BaselineSettings/retireAfterDays`` of the newest (older ones are aged out).
    public func saveState() throws -> Data {
        let newest = instances.values.map(\.lastSeen).max() ?? 0
        instances = instances.filter { $0.value.lastSeen >= newest - settings.retireSeconds }
        return try JSONEncoder().encode(SavedState(instances: instances, accountAddresses: accountAddresses.map(\.description).sorted()))
    }

    public func restoreState(_ data: Data) throws {
        let state = try decodeState(SavedState.self, from: data, version: 3)
        instances = state.instances
        accountAddresses = Set(state.accountAddresses.compactMap { IPAddress($0) })
    }
}
