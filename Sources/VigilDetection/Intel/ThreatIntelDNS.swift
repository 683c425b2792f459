import VigilIntel
import VigilLogs
import VigilModel

/// Queries for listed domains, from Route 53 Resolver query logs: the `!DNS` finding types and the
/// domain-reputation `Impact:EC2/…DomainRequest…` types. A domain matches its listed parents on
/// label boundaries (`a.evil.example` matches `evil.example`). The addresses such a query returned
/// are remembered for the querying instance (``ResolvedAddresses``), so its flows to them are
/// flows to a listed address.
public final class ThreatIntelDNS: DNSDetector {
    public let name = "threat-intel-dns"
    static let types: [ThreatCategory: (type: FindingType, what: String)] = [
        .commandAndControl: (FindingType.backdoorEC2CCActivityBDNS, "a known command-and-control server"),
        .mining: (FindingType.cryptoCurrencyEC2BitcoinToolBDNS, "crypto-currency mining"),
        .miningReputation: (FindingType.impactEC2BitcoinDomainRequestReputation, "a low-reputation crypto-currency domain"),
        .blackhole: (FindingType.trojanEC2BlackholeTrafficDNS, "a domain redirected to a black hole"),
        .driveBy: (FindingType.trojanEC2DriveBySourceTrafficDNS, "a known source of drive-by downloads"),
        .dropPoint: (FindingType.trojanEC2DropPointDNS, "a drop point for stolen data"),
        .phishing: (FindingType.trojanEC2PhishingDomainRequestDNS, "a phishing domain"),
        .custom: (FindingType.impactEC2MaliciousDomainRequestCustom, "a domain on a custom threat list"),
        .malicious: (FindingType.impactEC2MaliciousDomainRequestReputation, "a low-reputation domain known to be malicious"),
        .abused: (FindingType.impactEC2AbusedDomainRequestReputation, "a low-reputation domain of an abused service"),
        .suspicious: (FindingType.impactEC2SuspiciousDomainRequestReputation, "a suspicious low-reputation domain"),
    ]
    public let findingTypes = ThreatIntelDNS.types.values.map(\.type).sorted()
    private let intel: IntelScope
    private let suffixes: PublicSuffixList?

    /// Over fixed lists (one account's analysis, or a test's).
    public convenience init(intel: ThreatIntelligence, publicSuffixes: PublicSuffixList?) {
        self.init(intel: IntelScope(shared: intel), publicSuffixes: publicSuffixes)
    }

    public init(intel: IntelScope, publicSuffixes: PublicSuffixList?) {
        self.intel = intel
        self.suffixes = publicSuffixes
    }

    public func inspect(_ query: ResolverQuery, source: LogSource, into sink: FindingSink) {
        guard intel.hasDomains else { return }
        let matches = intel.match(domain: query.queryName.bytes)
        guard !matches.isEmpty else { return }
        let dns = DNSContext(query, source: source, suffixes: suffixes)
        // The answers of a name on a list a flow finding exists for are that list's addresses for this instance.
        let forFlows = matches.filter { ThreatIntelFlows.categories.contains($0.list.category) }
        if !forFlows.isEmpty { intel.resolved.record(query, domain: dns.domain, matches: forFlows) }
        for (category, hits) in Dictionary(grouping: matches, by: \.list.category).sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            guard let (type, what) = Self.types[category] else { continue }
            let lists = hits.map(\.list.name).uniqued().joined(separator: ", ")
            sink.report(dns.observation(
                type, title: "\(dns.instance) queried \(dns.domain), \(what).",
                description: "\(dns.instance) asked the Route 53 Resolver for \(dns.domain) (\(query.queryType.string ?? "?")); \(hits.first?.matchedDomain ?? dns.domain) is on \(lists).",
                evidence: hits.evidence))
        }
    }
}

/// A Resolver query seen as GuardDuty reports it.
public struct DNSContext {
    public let query: ResolverQuery
    public let source: LogSource
    /// The name queried, lower case, without its trailing dot.
    public let domain: String
    /// The registrable domain (`example.co.uk`), when the Public Suffix List is loaded.
    public let registrableDomain: String?

    public init(_ query: ResolverQuery, source: LogSource, suffixes: PublicSuffixList?) {
        self.query = query
        self.source = source
        var name = (query.queryName.string ?? "").lowercased()
        while name.hasSuffix(".") { name.removeLast() }
        self.domain = name
        self.registrableDomain = suffixes?.registrableDomain(of: name)
    }

    /// The querying instance's ID, or its address.
    public var instance: String { query.instanceId.string ?? query.sourceAddress?.description ?? "an unknown host" }

    public var accountId: String { query.account(in: source).description }
    public var region: String { query.region(in: source) }

    public var resource: Resource {
        let interface = query.sourceAddress.map { address in
            NetworkInterface(privateIpAddress: address.isIPv4 ? address.description : nil, vpcId: query.vpcId.string)
        }
        return Resource(instanceDetails: InstanceDetails(instanceId: query.instanceId.string, networkInterfaces: interface.map { [$0] }),
                        resourceType: "Instance")
    }

    public var action: Action {
        .dnsRequest(DnsRequestAction(
            domain: domain, protocol: query.transport.string ?? "UDP", blocked: query.firewallRuleAction.equals("BLOCK"),
            domainWithSuffix: registrableDomain, vpcOwnerAccountId: query.accountId.count == 12 ? query.accountId.string : nil))
    }

    public func observation(_ type: FindingType, severity: Double? = nil, title: String, description: String, evidence: Evidence?) -> Observation {
        Observation(type: type, severity: severity, accountId: accountId, region: region, time: query.queryTimestamp,
                    resource: resource, action: action, resourceRole: .actor, evidence: evidence, title: title,
                    description: description, identity: .init(resource: instance, actor: registrableDomain ?? domain),
                    evidenceLocation: "\(source.path):\(query.location)")
    }
}
