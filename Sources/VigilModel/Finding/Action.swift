/// What happened (botocore's `Action`); exactly one of the variants is set, named by `actionType`.
public struct Action: Codable, Hashable, Sendable {
    /// `AWS_API_CALL`, `NETWORK_CONNECTION`, `DNS_REQUEST` or `PORT_PROBE`.
    public var actionType: String?
    public var awsApiCallAction: AwsApiCallAction?
    public var dnsRequestAction: DnsRequestAction?
    public var networkConnectionAction: NetworkConnectionAction?
    public var portProbeAction: PortProbeAction?

    public init(actionType: String? = nil, awsApiCallAction: AwsApiCallAction? = nil,
                dnsRequestAction: DnsRequestAction? = nil, networkConnectionAction: NetworkConnectionAction? = nil,
                portProbeAction: PortProbeAction? = nil) {
        self.actionType = actionType
        self.awsApiCallAction = awsApiCallAction
        self.dnsRequestAction = dnsRequestAction
        self.networkConnectionAction = networkConnectionAction
        self.portProbeAction = portProbeAction
    }

    public static func apiCall(_ call: AwsApiCallAction) -> Action {
        Action(actionType: "AWS_API_CALL", awsApiCallAction: call)
    }
    public static func dnsRequest(_ request: DnsRequestAction) -> Action {
        Action(actionType: "DNS_REQUEST", dnsRequestAction: request)
    }
    public static func networkConnection(_ connection: NetworkConnectionAction) -> Action {
        Action(actionType: "NETWORK_CONNECTION", networkConnectionAction: connection)
    }
    public static func portProbe(_ probe: PortProbeAction) -> Action {
        Action(actionType: "PORT_PROBE", portProbeAction: probe)
    }
}

/// An AWS API call (botocore's `AwsApiCallAction`).
public struct AwsApiCallAction: Codable, Hashable, Sendable {
    public var api: String?
    /// `Remote IP`, `Domain` or `AWS Service`…
    public var callerType: String?
    public var domainDetails: DomainDetails?
    public var errorCode: String?
    public var userAgent: String?
    public var remoteIpDetails: RemoteIpDetails?
    public var serviceName: String?
    public var remoteAccountDetails: RemoteAccountDetails?
    public var affectedResources: [String: String]?

    public init(api: String? = nil, callerType: String? = nil, domainDetails: DomainDetails? = nil,
                errorCode: String? = nil, userAgent: String? = nil, remoteIpDetails: RemoteIpDetails? = nil,
                serviceName: String? = nil, remoteAccountDetails: RemoteAccountDetails? = nil,
                affectedResources: [String: String]? = nil) {
        self.api = api
        self.callerType = callerType
        self.domainDetails = domainDetails
        self.errorCode = errorCode
        self.userAgent = userAgent
        self.remoteIpDetails = remoteIpDetails
        self.serviceName = serviceName
        self.remoteAccountDetails = remoteAccountDetails
        self.affectedResources = affectedResources
    }
}

public struct DomainDetails: Codable, Hashable, Sendable {
    public var domain: String?
    public init(domain: String?) { self.domain = domain }
}

public struct RemoteAccountDetails: Codable, Hashable, Sendable {
    public var accountId: String?
    public var affiliated: Bool?
    public init(accountId: String? = nil, affiliated: Bool? = nil) {
        self.accountId = accountId
        self.affiliated = affiliated
    }
}

/// The remote party's address and what is known about it (botocore's `RemoteIpDetails`).
public struct RemoteIpDetails: Codable, Hashable, Sendable {
    public var city: City?
    public var country: Country?
    public var geoLocation: GeoLocation?
    public var ipAddressV4: String?
    public var ipAddressV6: String?
    public var organization: Organization?

    public init(city: City? = nil, country: Country? = nil, geoLocation: GeoLocation? = nil,
                ipAddressV4: String? = nil, ipAddressV6: String? = nil, organization: Organization? = nil) {
        self.city = city
        self.country = country
        self.geoLocation = geoLocation
        self.ipAddressV4 = ipAddressV4
        self.ipAddressV6 = ipAddressV6
        self.organization = organization
    }

    /// Details for an address, put in `ipAddressV4` or `ipAddressV6` by its family.
    public init(address: IPAddress) {
        if address.isIPv4 { self.init(ipAddressV4: address.description) } else { self.init(ipAddressV6: address.description) }
    }
}

public struct City: Codable, Hashable, Sendable {
    public var cityName: String?
    public init(cityName: String?) { self.cityName = cityName }
}

public struct Country: Codable, Hashable, Sendable {
    public var countryCode: String?
    public var countryName: String?
    public init(countryCode: String? = nil, countryName: String? = nil) {
        self.countryCode = countryCode
        self.countryName = countryName
    }
}

public struct GeoLocation: Codable, Hashable, Sendable {
    public var lat: Double?
    public var lon: Double?
    public init(lat: Double?, lon: Double?) {
        self.lat = lat
        self.lon = lon
    }
}

public struct Organization: Codable, Hashable, Sendable {
    public var asn: String?
    public var asnOrg: String?
    public var isp: String?
    public var org: String?
    public init(asn: String? = nil, asnOrg: String? = nil, isp: String? = nil, org: String? = nil) {
        self.asn = asn
        self.asnOrg = asnOrg
        self.isp = isp
        self.org = org
    }
}

/// A DNS query (botocore's `DnsRequestAction`).
public struct DnsRequestAction: Codable, Hashable, Sendable {
    public var domain: String?
    public var `protocol`: String?
    public var blocked: Bool?
    public var domainWithSuffix: String?
    public var vpcOwnerAccountId: String?
    public init(domain: String? = nil, protocol: String? = nil, blocked: Bool? = nil,
                domainWithSuffix: String? = nil, vpcOwnerAccountId: String? = nil) {
        self.domain = domain
        self.protocol = `protocol`
        self.blocked = blocked
        self.domainWithSuffix = domainWithSuffix
        self.vpcOwnerAccountId = vpcOwnerAccountId
    }
}

/// A network connection (botocore's `NetworkConnectionAction`).
public struct NetworkConnectionAction: Codable, Hashable, Sendable {
    public var blocked: Bool?
    /// `INBOUND`, `OUTBOUND` or `UNKNOWN`.
    public var connectionDirection: String?
    public var localPortDetails: LocalPortDetails?
    /// `TCP`, `UDP`, `ICMP`, …
    public var `protocol`: String?
    public var localIpDetails: LocalIpDetails?
    public var localNetworkInterface: String?
    public var remoteIpDetails: RemoteIpDetails?
    public var remotePortDetails: RemotePortDetails?

    public init(blocked: Bool? = nil, connectionDirection: String? = nil, localPortDetails: LocalPortDetails? = nil,
                protocol: String? = nil, localIpDetails: LocalIpDetails? = nil, localNetworkInterface: String? = nil,
                remoteIpDetails: RemoteIpDetails? = nil, remotePortDetails: RemotePortDetails? = nil) {
        self.blocked = blocked
        self.connectionDirection = connectionDirection
        self.localPortDetails = localPortDetails
        self.protocol = `protocol`
        self.localIpDetails = localIpDetails
        self.localNetworkInterface = localNetworkInterface
        self.remoteIpDetails = remoteIpDetails
        self.remotePortDetails = remotePortDetails
    }
}

public struct LocalPortDetails: Codable, Hashable, Sendable {
    public var port: Int?
    public var portName: String?
    public init(port: Int?, portName: String? = nil) {
        self.port = port
        self.portName = portName
    }
}

public struct RemotePortDetails: Codable, Hashable, Sendable {
    public var port: Int?
    public var portName: String?
    public init(port: Int?, portName: String? = nil) {
        self.port = port
        self.portName = portName
    }
}

public struct LocalIpDetails: Codable, Hashable, Sendable {
    public var ipAddressV4: String?
    public var ipAddressV6: String?
    public init(ipAddressV4: String? = nil, ipAddressV6: String? = nil) {
        self.ipAddressV4 = ipAddressV4
        self.ipAddressV6 = ipAddressV6
    }
    public init(address: IPAddress) {
        if address.isIPv4 { self.init(ipAddressV4: address.description) } else { self.init(ipAddressV6: address.description) }
    }
}

/// Unsolicited connections to an open port (botocore's `PortProbeAction`).
public struct PortProbeAction: Codable, Hashable, Sendable {
    public var blocked: Bool?
    public var portProbeDetails: [PortProbeDetail]?
    public init(blocked: Bool? = nil, portProbeDetails: [PortProbeDetail]? = nil) {
        self.blocked = blocked
        self.portProbeDetails = portProbeDetails
    }
}

public struct PortProbeDetail: Codable, Hashable, Sendable {
    public var localPortDetails: LocalPortDetails?
    public var localIpDetails: LocalIpDetails?
    public var remoteIpDetails: RemoteIpDetails?
    public init(localPortDetails: LocalPortDetails? = nil, localIpDetails: LocalIpDetails? = nil, remoteIpDetails: RemoteIpDetails? = nil) {
        self.localPortDetails = localPortDetails
        self.localIpDetails = localIpDetails
        self.remoteIpDetails = remoteIpDetails
    }
}
