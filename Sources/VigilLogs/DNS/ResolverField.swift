/// The Resolver query-log fields Vigil reads, indexed as the C parser (`vj_dns_field` in
/// `vigil_json.h`) lays them out; a test reads a record holding every ``path`` and checks each
/// field finds its own.
public enum ResolverField: Int, CaseIterable, Sendable {
    case version = 0, accountId, region, vpcId, queryTimestamp, queryName, queryType, queryClass, rcode,
         answers, srcaddr, srcport, transport, instance, resolverEndpoint, firewallRuleAction,
         firewallRuleGroupId, firewallDomainListId

    /// The field's dotted path in a query-log record (`srcids.instance`).
    public var path: String {
        switch self {
        case .version: "version"
        case .accountId: "account_id"
        case .region: "region"
        case .vpcId: "vpc_id"
        case .queryTimestamp: "query_timestamp"
        case .queryName: "query_name"
        case .queryType: "query_type"
        case .queryClass: "query_class"
        case .rcode: "rcode"
        case .answers: "answers"
        case .srcaddr: "srcaddr"
        case .srcport: "srcport"
        case .transport: "transport"
        case .instance: "srcids.instance"
        case .resolverEndpoint: "srcids.resolver_endpoint"
        case .firewallRuleAction: "firewall_rule_action"
        case .firewallRuleGroupId: "firewall_rule_group_id"
        case .firewallDomainListId: "firewall_domain_list_id"
        }
    }
}
