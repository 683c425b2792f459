import Foundation
import VigilModel

/// Writes VPC Flow Logs text in the default (version 2) format, with a header line: a busy VPC's
/// mix of web, database, DNS-over-TCP and ephemeral traffic, REJECTs, and a few NODATA windows.
public struct FlowLogSynthesizer {
    public init() {}
    var random = SplitMix64(state: 0xF10F_10C5)
    public static let header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"

    /// A file of `records` records starting at `time`, of `account`'s VPC.
    public mutating func file(records: Int, startingAt time: Int64, account: String = "123456789012") -> [UInt8] {
        var out = Array(FlowLogSynthesizer.header.utf8)
        out.reserveCapacity(records * 110)
        let enis = (0..<64).map { _ in "eni-0\(random.hex(16))" }
        for i in 0..<records {
            let start = time + Int64(i / 2000)
            let eni = enis[random.below(enis.count)]
            if random.below(500) == 0 {
                out += "2 \(account) \(eni) - - - - - - - \(start) \(start + 60) - NODATA\n".utf8
                continue
            }
            let local = "10.0.\(random.below(16)).\(random.below(254) + 1)"
            let remote = random.below(3) == 0 ? "10.0.\(random.below(16)).\(random.below(254) + 1)"
                : "\(random.pick([13, 34, 52, 54, 104, 142, 151, 172, 185, 203])).\(random.below(256)).\(random.below(256)).\(random.below(254) + 1)"
            let service = random.pick([443, 443, 443, 80, 22, 5432, 3306, 53, 8080, 6379])
            let ephemeral = 32768 + random.below(28000)
            let inbound = random.below(2) == 0
            let proto = service == 53 && random.below(2) == 0 ? 17 : 6
            let packets = 1 + random.below(400)
            let bytes = packets * (40 + random.below(1400))
            let action = random.below(20) == 0 ? "REJECT" : "ACCEPT"
            let (src, dst, sport, dport) = inbound ? (remote, local, ephemeral, service) : (local, remote, ephemeral, service)
            out += "2 \(account) \(eni) \(src) \(dst) \(sport) \(dport) \(proto) \(packets) \(bytes) \(start) \(start + 60) \(action) OK\n".utf8
        }
        return out
    }
}
