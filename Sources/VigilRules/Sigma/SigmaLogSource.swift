/// The records a Sigma rule reads, from its `logsource`: `product: aws` with `service:
/// cloudtrail` (CloudTrail management and data events), or Vigil's names for its other two
/// sources, `service: vpcflowlogs` (VPC Flow Logs records, fields named as in the flow-log
/// format: `srcaddr`, `dstport`, `action`, …) and `service: route53resolver` (Resolver query
/// logs, fields named as in the log: `query_name`, `srcids.instance`, `answers.Rdata`, …).
public enum SigmaLogSource: String, Sendable, CaseIterable {
    case cloudTrail = "cloudtrail"
    case flowLogs = "vpcflowlogs"
    case resolver = "route53resolver"

    init?(service: String) {
        switch service {
        case "cloudtrail": self = .cloudTrail
        case "vpcflowlogs", "vpcflow", "flowlogs": self = .flowLogs
        case "route53resolver", "route53", "dns": self = .resolver
        default: return nil
        }
    }
}
