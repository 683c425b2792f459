import Foundation
import VigilLogs
import VigilModel

/// What CloudTrail tells about instances and their network interfaces — from `RunInstances`,
/// `CreateNetworkInterface`, `AttachNetworkInterface`, `CreateTags` and `DeleteTags` — so that
/// findings about an instance carry its `instanceDetails` (type, image, launch time, zone,
/// profile, tags, interfaces with addresses, subnet, VPC and security groups) as far as the logs
/// tell it, whichever order the logs are read in: the aggregator asks the inventory when it
/// builds findings (``complete(_:)``).
///
/// Cheap on the event path: a `RunInstances` response is kept as bytes and indexed by the instance
/// IDs, interface IDs and private addresses found in it with a byte search; it is parsed only when
/// a finding needs it. Raises no findings. Bounded: kept responses total at most `byteCapacity`
/// bytes (the oldest go first), and at most `capacity` instances and interfaces are held parsed;
/// when full, those tables are cleared and learning starts again (instances launched long ago are
/// described by the flow log's own fields until they appear in CloudTrail again).
public final class InstanceInventory: CloudTrailDetector {
    public let name = "instance-inventory"
    public let findingTypes: [FindingType] = []
    public let eventNames: Set<String>? = ["RunInstances", "CreateNetworkInterface", "AttachNetworkInterface", "CreateTags", "DeleteTags"]
    public let capacity: Int
    public let byteCapacity: Int

    /// Unparsed `RunInstances` responses by number, oldest first, and what they mention.
    private var responses: [Int: [UInt8]] = [:]
    private var responseOrder: [Int] = []
    private var responseHead = 0
    private var responseBytes = 0
    private var nextResponse = 0
    private var rawByKey: [String: Int] = [:]

    private var instances: [String: InstanceDetails] = [:]
    /// Interfaces by ID, with the instance they are attached to.
    private var interfaces: [String: (interface: NetworkInterface, instanceId: String?)] = [:]
    /// Instance IDs by private address (`vpc-…/10.0.0.5`, or the bare address when the VPC is unknown).
    private var byAddress: [String: String] = [:]

    public init(capacity: Int = 100_000, byteCapacity: Int = 32 << 20) {
        self.capacity = capacity
        self.byteCapacity = byteCapacity
    }

    public var instanceCount: Int { instances.count }

    public func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
        guard !event.errorCode.isPresent else { return }
        if instances.count >= capacity || interfaces.count >= capacity {
            instances.removeAll()
            interfaces.removeAll()
            byAddress.removeAll()
        }
        switch event.eventName.string {
        case "RunInstances":
            keep(response: event.responseElements)
        case "CreateNetworkInterface":
            guard let response = JSONTree(event.responseElements), let interface = response["networkInterface"] else { return }
            _ = record(interface: interface, instanceId: interface["attachment"]?["instanceId"]?.stringValue)
        case "AttachNetworkInterface":
            guard let request = JSONTree(event.requestParameters), let eni = request["networkInterfaceId"]?.stringValue,
                  let instanceId = request["instanceId"]?.stringValue else { return }
            materialize(rawByKey[instanceId])
            materialize(rawByKey[eni])
            let interface = interfaces[eni]?.interface ?? NetworkInterface(networkInterfaceId: eni)
            interfaces[eni] = (interface, instanceId)
            var details = instances[instanceId] ?? InstanceDetails(instanceId: instanceId)
            var list = details.networkInterfaces ?? []
            if !list.contains(where: { $0.networkInterfaceId == eni }) { list.append(interface) }
            details.networkInterfaces = list
            instances[instanceId] = details
            if let address = interface.privateIpAddress { index(address: address, vpc: interface.vpcId, instanceId: instanceId) }
        case "CreateTags", "DeleteTags":
            // Most tags are on resources the inventory does not know: find out before parsing.
            let resources = Self.stringValues(of: "\"resourceId\"", in: Array(event.requestParameters.bytes))
            guard resources.contains(where: { instances[$0] != nil || rawByKey[$0] != nil }),
                  let request = JSONTree(event.requestParameters) else { return }
            let tags = (request["tagSet"]?["items"]?.items ?? []).map { Tag(key: $0["key"]?.stringValue, value: $0["value"]?.stringValue) }
            let adding = event.eventName.equals("CreateTags")
            for resource in request["resourcesSet"]?["items"]?.items ?? [] {
                guard let id = resource["resourceId"]?.stringValue else { continue }
                materialize(rawByKey[id])
                guard var details = instances[id] else { continue }
                var current = details.tags ?? []
                for tag in tags {
                    current.removeAll { $0.key == tag.key }
                    if adding { current.append(tag) }
                }
                details.tags = current.isEmpty ? nil : current
                instances[id] = details
            }
        default:
            break
        }
    }

    /// Keeps a `RunInstances` response, indexed by the IDs and addresses it mentions.
    private func keep(response: RawText) {
        guard response.count > 2, response.count <= byteCapacity / 4 else { return }
        let bytes = Array(response.bytes)
        let instanceIds = Self.stringValues(of: "\"instanceId\"", in: bytes)
        // The same launch read again (a replayed file): keep it once.
        if let first = instanceIds.first, instances[first] != nil || rawByKey[first].map({ responses[$0] != nil }) == true { return }
        let number = nextResponse
        nextResponse += 1
        responses[number] = bytes
        responseOrder.append(number)
        responseBytes += bytes.count
        for key in ["\"instanceId\"", "\"networkInterfaceId\"", "\"privateIpAddress\""] {
            for value in Self.stringValues(of: key, in: bytes) { rawByKey[value] = number }
        }
        while responseBytes > byteCapacity, responseHead < responseOrder.count {
            let oldest = responseOrder[responseHead]
            responseHead += 1
            responseBytes -= responses.removeValue(forKey: oldest)?.count ?? 0
        }
        if responseHead > 4096 {
            responseOrder.removeFirst(responseHead)
            responseHead = 0
        }
        if rawByKey.count > capacity * 4 { rawByKey = rawByKey.filter { responses[$0.value] != nil } }
    }

    /// The string values that follow `key` (`"instanceId"`) in compact or spaced JSON text.
    static func stringValues(of key: String, in bytes: [UInt8]) -> [String] {
        let needle = Array(key.utf8)
        var values: [String] = []
        bytes.withUnsafeBufferPointer { text in
            var i = 0
            let n = text.count
            while i + needle.count < n {
                var matches = text[i] == needle[0]
                if matches {
                    for k in 1..<needle.count where text[i + k] != needle[k] {
                        matches = false
                        break
                    }
                }
                guard matches else {
                    i += 1
                    continue
                }
                var j = i + needle.count
                while j < n, text[j] == 0x20 || text[j] == 0x3A { j += 1 }
                if j < n, text[j] == 0x22 {
                    let start = j + 1
                    var end = start
                    while end < n, text[end] != 0x22, end - start < 128 { end += 1 }
                    if end < n, text[end] == 0x22, end > start { values.append(String(decoding: text[start..<end], as: UTF8.self)) }
                    i = end
                } else {
                    i = j
                }
            }
        }
        return values
    }

    /// Parses a kept response into the instance and interface tables.
    private func materialize(_ number: Int?) {
        guard let number, let bytes = responses.removeValue(forKey: number) else { return }
        responseBytes -= bytes.count
        guard let response = JSONTree(text: String(decoding: bytes, as: UTF8.self)) else { return }
        for item in response["instancesSet"]?["items"]?.items ?? [] { record(instance: item) }
    }

    private func record(instance item: JSONTree) {
        guard let instanceId = item["instanceId"]?.stringValue else { return }
        let launch: String? = switch item["launchTime"] {
        case .number(let ms)?: Timestamp(millisecondsSinceEpoch: Int64(ms)).iso8601
        case .string(let text)?: text
        default: nil
        }
        let interfaces = (item["networkInterfaceSet"]?["items"]?.items ?? []).compactMap { record(interface: $0, instanceId: instanceId) }
        let profile = item["iamInstanceProfile"].map { IamInstanceProfile(arn: $0["arn"]?.stringValue, id: $0["id"]?.stringValue) }
        let tags = (item["tagSet"]?["items"]?.items ?? []).map { Tag(key: $0["key"]?.stringValue, value: $0["value"]?.stringValue) }
        instances[instanceId] = InstanceDetails(
            availabilityZone: item["placement"]?["availabilityZone"]?.stringValue, iamInstanceProfile: profile,
            imageId: item["imageId"]?.stringValue, instanceId: instanceId, instanceState: item["instanceState"]?["name"]?.stringValue,
            instanceType: item["instanceType"]?.stringValue, launchTime: launch,
            networkInterfaces: interfaces.isEmpty ? nil : interfaces, platform: item["platform"]?.stringValue,
            tags: tags.isEmpty ? nil : tags)
        if interfaces.isEmpty, let address = item["privateIpAddress"]?.stringValue {
            index(address: address, vpc: item["vpcId"]?.stringValue, instanceId: instanceId)
        }
    }

    private func record(interface item: JSONTree, instanceId: String?) -> NetworkInterface? {
        guard let eni = item["networkInterfaceId"]?.stringValue else { return nil }
        let groups = (item["groupSet"]?["items"]?.items ?? []).map { SecurityGroup(groupId: $0["groupId"]?.stringValue, groupName: $0["groupName"]?.stringValue) }
        let privates = (item["privateIpAddressesSet"]?["item"]?.items ?? item["privateIpAddressesSet"]?["items"]?.items ?? []).map {
            PrivateIpAddressDetails(privateDnsName: $0["privateDnsName"]?.stringValue, privateIpAddress: $0["privateIpAddress"]?.stringValue)
        }
        let ipv6 = (item["ipv6AddressesSet"]?["items"]?.items ?? []).compactMap { $0["ipv6Address"]?.stringValue }
        let interface = NetworkInterface(
            ipv6Addresses: ipv6.isEmpty ? nil : ipv6, networkInterfaceId: eni, privateDnsName: item["privateDnsName"]?.stringValue,
            privateIpAddress: item["privateIpAddress"]?.stringValue, privateIpAddresses: privates.isEmpty ? nil : privates,
            publicDnsName: item["association"]?["publicDnsName"]?.stringValue, publicIp: item["association"]?["publicIp"]?.stringValue,
            securityGroups: groups.isEmpty ? nil : groups, subnetId: item["subnetId"]?.stringValue, vpcId: item["vpcId"]?.stringValue)
        interfaces[eni] = (interface, instanceId ?? interfaces[eni]?.instanceId)
        if let instanceId, let address = interface.privateIpAddress { index(address: address, vpc: interface.vpcId, instanceId: instanceId) }
        return interface
    }

    private func index(address: String, vpc: String?, instanceId: String) {
        byAddress[address] = instanceId
        if let vpc { byAddress["\(vpc)/\(address)"] = instanceId }
    }

    /// Fills in an instance resource from the inventory: finds the instance by its ID, else by its
    /// network interface, else by its private address (within its VPC when known), and merges what
    /// CloudTrail told into what the finding already has (the finding's own values win).
    public func complete(_ resource: inout Resource) {
        guard var details = resource.instanceDetails else { return }
        let seen = details.networkInterfaces?.first
        var instanceId = details.instanceId
        if let instanceId { materialize(rawByKey[instanceId]) }
        if instanceId == nil, let eni = seen?.networkInterfaceId {
            materialize(rawByKey[eni])
            instanceId = interfaces[eni]?.instanceId
        }
        if instanceId == nil, let address = seen?.privateIpAddress {
            materialize(rawByKey[address])
            instanceId = seen?.vpcId.flatMap { byAddress["\($0)/\(address)"] } ?? byAddress[address]
        }
        let known = instanceId.flatMap { instances[$0] }
        if known == nil, let eni = seen?.networkInterfaceId, let interface = interfaces[eni]?.interface {
            details.networkInterfaces = [Self.merge(seen, into: interface)]
            resource.instanceDetails = details
            return
        }
        guard let known else { return }
        details.instanceId = details.instanceId ?? known.instanceId
        details.instanceType = details.instanceType ?? known.instanceType
        details.imageId = details.imageId ?? known.imageId
        details.availabilityZone = details.availabilityZone ?? known.availabilityZone
        details.launchTime = details.launchTime ?? known.launchTime
        details.iamInstanceProfile = details.iamInstanceProfile ?? known.iamInstanceProfile
        details.instanceState = details.instanceState ?? known.instanceState
        details.platform = details.platform ?? known.platform
        details.tags = details.tags ?? known.tags
        if let knownInterfaces = known.networkInterfaces, !knownInterfaces.isEmpty {
            // The interface the traffic used first, completed; then the instance's others.
            let first = knownInterfaces.first { $0.networkInterfaceId == seen?.networkInterfaceId || $0.privateIpAddress == seen?.privateIpAddress }
            var list = [Self.merge(seen, into: first ?? knownInterfaces[0])]
            list += knownInterfaces.filter { $0 != (first ?? knownInterfaces[0]) }
            details.networkInterfaces = list
        }
        resource.instanceDetails = details
    }

    private static func merge(_ seen: NetworkInterface?, into known: NetworkInterface) -> NetworkInterface {
        guard let seen else { return known }
        var merged = known
        merged.networkInterfaceId = seen.networkInterfaceId ?? known.networkInterfaceId
        merged.privateIpAddress = seen.privateIpAddress ?? known.privateIpAddress
        merged.ipv6Addresses = seen.ipv6Addresses ?? known.ipv6Addresses
        merged.subnetId = seen.subnetId ?? known.subnetId
        merged.vpcId = seen.vpcId ?? known.vpcId
        return merged
    }
}
