import VigilModel

/// One VPC Flow Logs record, parsed from bytes into integers and addresses.
///
/// Numeric and address fields are `nil` when the log wrote `-` or the format lacks the column.
/// Text fields are views valid only during the callback that hands the record out.
public struct FlowRecord: @unchecked Sendable {
    public enum Action: UInt8, Sendable { case unknown, accept, reject }
    public enum LogStatus: UInt8, Sendable { case unknown, ok, noData, skipData }
    public enum Direction: UInt8, Sendable { case unknown, ingress, egress }

    public var version: UInt8? = nil
    public var accountId: RawText = .absent
    public var interfaceId: RawText = .absent
    public var srcAddr: IPAddress? = nil
    public var dstAddr: IPAddress? = nil
    public var srcPort: UInt16? = nil
    public var dstPort: UInt16? = nil
    /// IANA protocol number: 1 ICMP, 6 TCP, 17 UDP, 58 ICMPv6.
    public var ipProtocol: IPProtocol? = nil
    public var packets: UInt64? = nil
    public var bytes: UInt64? = nil
    /// Seconds since the epoch of the first packet in the window.
    public var start: Int64? = nil
    /// Seconds since the epoch of the last packet in the window.
    public var end: Int64? = nil
    public var action: Action = .unknown
    public var logStatus: LogStatus = .unknown
    public var vpcId: RawText = .absent
    public var subnetId: RawText = .absent
    public var instanceId: RawText = .absent
    /// TCP flags OR-ed over the window: FIN 1, SYN 2, RST 4, SYN-ACK 18.
    public var tcpFlags: UInt16? = nil
    public var addressType: RawText = .absent
    public var pktSrcAddr: IPAddress? = nil
    public var pktDstAddr: IPAddress? = nil
    public var region: RawText = .absent
    public var azId: RawText = .absent
    public var pktSrcAwsService: RawText = .absent
    public var pktDstAwsService: RawText = .absent
    public var flowDirection: Direction = .unknown
    public var trafficPath: UInt8? = nil
    public var rejectReason: RawText = .absent
    public var location: RecordLocation = .wholeFile
    /// Whether the packets left the monitored instance (`nil`: cannot tell). Not a log field: the
    /// detection engine works it out once per record (from `flow-direction`, private addresses or
    /// ports) before any detector sees the record, so detectors share one orientation.
    public var outbound: Bool? = nil

    public init() {}

    /// Event time: the end of the capture window (the time S3 files are grouped by).
    public var eventTime: Timestamp? {
        if let end { return Timestamp(secondsSinceEpoch: end) }
        if let start { return Timestamp(secondsSinceEpoch: start) }
        return nil
    }

    /// The packet-level source: `pkt-srcaddr` when logged (NAT gateways, EKS pods), else `srcaddr`.
    public var packetSource: IPAddress? { pktSrcAddr ?? srcAddr }
    /// The packet-level destination: `pkt-dstaddr` when logged, else `dstaddr`.
    public var packetDestination: IPAddress? { pktDstAddr ?? dstAddr }
}

extension FlowRecord: LogRecord {
    public static var dataSource: DataSource { .flowLogs }

    /// The `account-id` field (the interface's owner), else the S3 key's account.
    @inlinable public func account(in source: LogSource) -> AccountID {
        AccountID(bytes: accountId.bytes) ?? source.account ?? .unknown
    }

    /// The `region` field (version 5), else the S3 key's region, else `us-east-1`.
    public func region(in source: LogSource) -> String {
        region.string ?? source.layout?.region ?? "us-east-1"
    }
}
