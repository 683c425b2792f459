import Crypto
import Foundation
import VigilModel

/// A list to load: where it is, what to call it, what its entries are known for.
public struct ThreatListSource: Sendable, Hashable {
    public var name: String
    public var category: ThreatCategory
    /// `nil`: recognised from the file's name and content.
    public var format: ListFormat?
    /// The file, or `builtin:<name>` for a list given as ``text``.
    public var path: String
    /// The list's content, for lists that are not files (Vigil's built-in lists).
    public var text: String?

    public init(name: String? = nil, category: ThreatCategory, format: ListFormat? = nil, path: String) {
        self.name = name ?? (path as NSString).lastPathComponent
        self.category = category
        self.format = format
        self.path = path
    }

    /// A list already read into memory from `path` (which findings and reports name).
    public init(name: String, category: ThreatCategory, format: ListFormat?, path: String, text: String) {
        self.name = name
        self.category = category
        self.format = format
        self.path = path
        self.text = text
    }

    /// A list held in memory.
    public init(name: String, category: ThreatCategory, format: ListFormat, text: String) {
        self.name = name
        self.category = category
        self.format = format
        self.path = "builtin:\(name)"
        self.text = text
    }

    /// Parses the command-line form `[CATEGORY=][FORMAT:]PATH` (`tor-exit=ZEEK:feeds/tor.intel`,
    /// `OTX_CSV:lists/bad.csv`, `lists/bad.txt`). Without a category the list is `custom`.
    public init?(argument: String, defaultCategory: ThreatCategory = .custom) {
        var rest = Substring(argument)
        var category = defaultCategory
        if let equals = rest.firstIndex(of: "="), let c = ThreatCategory(rawValue: String(rest[..<equals])) {
            category = c
            rest = rest[rest.index(after: equals)...]
        }
        var format: ListFormat?
        if let colon = rest.firstIndex(of: ":"), let f = ListFormat(name: String(rest[..<colon])) {
            format = f
            rest = rest[rest.index(after: colon)...]
        }
        guard !rest.isEmpty else { return nil }
        self.init(category: category, format: format, path: String(rest))
    }
}

/// A loaded list, as findings name it.
public struct ThreatListInfo: Sendable, Hashable {
    public let name: String
    public let category: ThreatCategory
    public let format: ListFormat
    public let path: String
    /// SHA-256 of the file, for `evidence.threatIntelligenceDetails[].threatFileSha256`.
    public let sha256: String
    public let indicatorCount: Int
}

/// One indicator's membership of one list.
public struct IntelHit: Hashable, Sendable {
    public let list: UInt16
    public let threatName: String?
}

/// A match of an address or domain against the loaded lists.
public struct IntelMatch: Sendable, Hashable {
    public let list: ThreatListInfo
    public let threatName: String?
    /// The listed domain suffix that matched, for domain matches.
    public let matchedDomain: String?
}

/// Every loaded threat list and trusted list, compiled for fast lookups.
///
/// Immutable once built: a new set of lists makes a new instance, which readers pick up whole.
public final class ThreatIntelligence: Sendable {
    public let lists: [ThreatListInfo]
    /// Lines that could not be read, across all lists.
    public let issues: [ListIssue]
    private let networks: IPRangeSet<[IntelHit]>
    private let domains: DomainSuffixSet<[IntelHit]>
    private let trusted: IPRangeSet<Bool>
    /// Number of trusted networks.
    public let trustedCount: Int

    public static let empty = ThreatIntelligence(lists: [], issues: [], networks: IPRangeSet(), domains: DomainSuffixSet(), trusted: IPRangeSet(), trustedCount: 0)

    init(lists: [ThreatListInfo], issues: [ListIssue], networks: IPRangeSet<[IntelHit]>, domains: DomainSuffixSet<[IntelHit]>,
         trusted: IPRangeSet<Bool>, trustedCount: Int) {
        self.lists = lists
        self.issues = issues
        self.networks = networks
        self.domains = domains
        self.trusted = trusted
        self.trustedCount = trustedCount
    }

    /// A list that could not be loaded at all.
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Loads threat lists and trusted lists. A file that cannot be read throws; lines that
    /// cannot be read are collected in ``issues`` and skipped.
    public static func load(threatLists: [ThreatListSource], trustedLists: [ThreatListSource] = []) throws(LoadError) -> ThreatIntelligence {
        var infos: [ThreatListInfo] = []
        var issues: [ListIssue] = []
        var ipEntries: [(prefix: IPPrefix, value: [IntelHit])] = []
        var domainEntries: [(name: String, value: [IntelHit])] = []
        for source in threatLists {
            let (parsed, format, digest) = try read(source)
            issues += parsed.issues
            let index = UInt16(infos.count)
            infos.append(ThreatListInfo(name: source.name, category: source.category, format: format, path: source.path,
                                        sha256: digest, indicatorCount: parsed.indicators.count))
            for indicator in parsed.indicators {
                let hit = [IntelHit(list: index, threatName: indicator.threatName)]
                switch indicator.value {
                case .network(let prefix): ipEntries.append((prefix, hit))
                case .domain(let name): domainEntries.append((name, hit))
                }
            }
        }
        var trustedEntries: [(prefix: IPPrefix, value: Bool)] = []
        for source in trustedLists {
            let (parsed, _, _) = try read(source)
            issues += parsed.issues
            for indicator in parsed.indicators {
                if case .network(let prefix) = indicator.value { trustedEntries.append((prefix, true)) }
                else { issues.append(ListIssue(path: source.path, line: 0, reason: "trusted lists hold IP addresses and ranges; a domain was skipped")) }
            }
        }
        let merge: ([IntelHit], [IntelHit]) -> [IntelHit] = { a, b in
            var merged = a
            for hit in b where !merged.contains(hit) { merged.append(hit) }
            return merged
        }
        return ThreatIntelligence(
            lists: infos, issues: issues, networks: IPRangeSet(ipEntries, merge: merge),
            domains: DomainSuffixSet(domainEntries, merge: merge), trusted: IPRangeSet(trustedEntries, merge: { a, _ in a }),
            trustedCount: trustedEntries.count)
    }

    static func read(_ source: ThreatListSource) throws(LoadError) -> (ParsedList, ListFormat, String) {
        guard let data = source.text.map({ Data($0.utf8) }) ?? FileManager.default.contents(atPath: source.path) else {
            throw LoadError(path: source.path, reason: "cannot read the file")
        }
        let hex = Array("0123456789abcdef".utf8)
        let digest = String(decoding: SHA256.hash(data: data).flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 15)]] }, as: UTF8.self)
        var bytes = data
        if bytes.starts(with: [0x1f, 0x8b]) {
            throw LoadError(path: source.path, reason: "gzip-compressed lists are not read; decompress it first")
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let text = String(decoding: bytes, as: UTF8.self)
        let format = source.format ?? ListFormat.detect(path: source.path, head: String(text.prefix(4096)))
        return (ListReader.parse(text, format: format, path: source.path), format, digest)
    }

    /// Whether `address` is on a trusted list.
    public func isTrusted(_ address: IPAddress) -> Bool { trusted.contains(address) }

    /// Whether any threat list holds addresses (so callers can skip lookups entirely).
    public var hasNetworks: Bool { networks.prefixCount > 0 }
    public var hasDomains: Bool { domains.count > 0 }

    /// The lists holding `address` (by its most specific listed network).
    public func match(_ address: IPAddress) -> [IntelMatch] {
        guard let hits = networks.lookup(address) else { return [] }
        return hits.map { IntelMatch(list: lists[Int($0.list)], threatName: $0.threatName, matchedDomain: nil) }
    }

    /// Whether some list holds `address`, without building matches (for the per-record path).
    public func isListed(_ address: IPAddress) -> Bool { networks.contains(address) }

    /// The lists holding `name` or one of its parent domains (the most specific listed one).
    /// `name` is the bytes as logged: any case, trailing dot allowed.
    public func match(domain name: UnsafeRawBufferPointer) -> [IntelMatch] {
        guard let (hits, suffix) = domains.lookup(name) else { return [] }
        return hits.map { IntelMatch(list: lists[Int($0.list)], threatName: $0.threatName, matchedDomain: suffix) }
    }

    public func match(domain name: String) -> [IntelMatch] {
        var copy = name
        return copy.withUTF8 { match(domain: UnsafeRawBufferPointer($0)) }
    }
}

extension [IntelMatch] {
    /// GuardDuty's evidence for these matches, one detail per list.
    public var evidence: Evidence {
        var byList: [(ThreatListInfo, [String])] = []
        for match in self {
            if let i = byList.firstIndex(where: { $0.0 == match.list }) {
                if let name = match.threatName, !byList[i].1.contains(name) { byList[i].1.append(name) }
            } else {
                byList.append((match.list, match.threatName.map { [$0] } ?? []))
            }
        }
        return Evidence(threatIntelligenceDetails: byList.map { list, names in
            ThreatIntelligenceDetail(threatListName: list.name, threatNames: names.isEmpty ? nil : names, threatFileSha256: list.sha256)
        })
    }
}
