import VigilLogs
import VigilModel

/// A VPC Flow Logs field a rule can test, named as the flow-log format names it.
enum FlowField: String, Sendable, CaseIterable {
    case version, accountId = "account-id", interfaceId = "interface-id", srcaddr, dstaddr, srcport, dstport,
         protocolNumber = "protocol", packets, bytes, start, end, action, logStatus = "log-status", vpcId = "vpc-id",
         subnetId = "subnet-id", instanceId = "instance-id", tcpFlags = "tcp-flags", type, pktSrcaddr = "pkt-srcaddr",
         pktDstaddr = "pkt-dstaddr", region, azId = "az-id", pktSrcAwsService = "pkt-src-aws-service",
         pktDstAwsService = "pkt-dst-aws-service", flowDirection = "flow-direction", trafficPath = "traffic-path",
         rejectReason = "reject-reason"

    /// The field's address, for `cidr` (address fields only).
    func address(_ r: FlowRecord) -> IPAddress? {
        switch self {
        case .srcaddr: r.srcAddr
        case .dstaddr: r.dstAddr
        case .pktSrcaddr: r.pktSrcAddr
        case .pktDstaddr: r.pktDstAddr
        default: nil
        }
    }

    /// Calls `body` with the field's text as the flow log writes it (numbers in decimal,
    /// `ACCEPT`/`REJECT`, `OK`/`NODATA`/`SKIPDATA`, `ingress`/`egress`); `false` when absent.
    func withText(_ r: FlowRecord, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        func raw(_ text: RawText) -> Bool { text.isPresent && body(text.bytes) }
        func number(_ value: UInt64?) -> Bool {
            guard var n = value else { return false }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
                var i = 20
                repeat { i -= 1; buffer[i] = UInt8(ascii: "0") + UInt8(n % 10); n /= 10 } while n > 0
                return body(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[i..<20]))
            }
        }
        func signed(_ value: Int64?) -> Bool { value.map { $0 >= 0 ? number(UInt64($0)) : text("\($0)") } ?? false }
        func text(_ s: String) -> Bool {
            var s = s
            return s.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
        switch self {
        case .version: return number(r.version.map(UInt64.init))
        case .accountId: return raw(r.accountId)
        case .interfaceId: return raw(r.interfaceId)
        case .srcaddr, .dstaddr, .pktSrcaddr, .pktDstaddr: return address(r).map { text($0.description) } ?? false
        case .srcport: return number(r.srcPort.map(UInt64.init))
        case .dstport: return number(r.dstPort.map(UInt64.init))
        case .protocolNumber: return number(r.ipProtocol.map { UInt64($0.rawValue) })
        case .packets: return number(r.packets)
        case .bytes: return number(r.bytes)
        case .start: return signed(r.start)
        case .end: return signed(r.end)
        case .action:
            switch r.action {
            case .accept: return text("ACCEPT")
            case .reject: return text("REJECT")
            case .unknown: return false
            }
        case .logStatus:
            switch r.logStatus {
            case .ok: return text("OK")
            case .noData: return text("NODATA")
            case .skipData: return text("SKIPDATA")
            case .unknown: return false
            }
        case .vpcId: return raw(r.vpcId)
        case .subnetId: return raw(r.subnetId)
        case .instanceId: return raw(r.instanceId)
        case .tcpFlags: return number(r.tcpFlags.map(UInt64.init))
        case .type: return raw(r.addressType)
        case .region: return raw(r.region)
        case .azId: return raw(r.azId)
        case .pktSrcAwsService: return raw(r.pktSrcAwsService)
        case .pktDstAwsService: return raw(r.pktDstAwsService)
        case .flowDirection:
            switch r.flowDirection {
            case .ingress: return text("ingress")
            case .egress: return text("egress")
            case .unknown: return false
            }
        case .trafficPath: return number(r.trafficPath.map(UInt64.init))
        case .rejectReason: return raw(r.rejectReason)
        }
    }
}
