import VigilIntel
import VigilLogs
import VigilModel

/// The addresses an instance's own Resolver queries for listed domains returned — so that a listed
/// domain makes the addresses it resolved to listed for that instance (a miner resolving
/// `pool.supportxmr.com` and then holding stratum sessions to the answer on port 3333; a C&C name
/// whose servers move every day). ``ThreatIntelDNS`` records the answers (`A`/`AAAA` records) of a
/// query that matched a list; ``ThreatIntelFlows`` treats a flow between that instance address and
/// an answer as a flow to a listed address, with the domain as the evidence.
///
/// One account's table (it lives in the account's ``IntelScope``), keyed by the querying address
/// and the answer, so one instance's lookups never list an address for another. Entries last
/// `lifetime` seconds of event time after the query (answers' TTLs are not logged, and mining and
/// C&C sessions outlive them by hours). Bounded: at most `capacity` entries; when full, the table is
/// cleared and learning starts again.
public final class ResolvedAddresses {
    public struct Entry: Sendable {
        public let domain: String
        public let matches: [IntelMatch]
        public let time: Int64
    }

    public let lifetime: Int64
    public let capacity: Int
    private var entries: [UInt64: Entry] = [:]

    public init(lifetime: Int64 = 24 * 3600, capacity: Int = 65_536) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// Whether nothing is held (the flow path's test: one comparison while no listed name was resolved).
    @inline(__always) public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }

    @inline(__always) static func key(_ local: IPAddress, _ remote: IPAddress) -> UInt64 {
        mixKey(local.low ^ local.high, remote.low ^ remote.high, 0x7265_736f_6c76)
    }

    /// Records the `A` and `AAAA` answers of `query`, a query for `domain` that matched `matches`.
    public func record(_ query: ResolverQuery, domain: String, matches: [IntelMatch]) {
        guard let local = query.sourceAddress, query.answers.count > 2, let answers = JSONTree(query.answers) else { return }
        let time = query.queryTimestamp.secondsSinceEpoch
        for answer in answers.items {
            guard let type = answer["Type"]?.stringValue, type == "A" || type == "AAAA",
                  let text = answer["Rdata"]?.stringValue, let address = IPAddress(text), !address.isPrivate else { continue }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[Self.key(local, address)] = Entry(domain: domain, matches: matches, time: time)
        }
    }

    /// What `local` resolved `remote` from, if it did within ``lifetime`` of `time`.
    @inline(__always)
    public func lookup(local: IPAddress, remote: IPAddress, at time: Int64) -> Entry? {
        guard !entries.isEmpty, let entry = entries[Self.key(local, remote)] else { return nil }
        return time - entry.time <= lifetime && entry.time - time <= lifetime ? entry : nil
    }
}
