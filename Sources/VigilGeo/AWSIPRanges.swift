import Foundation
import VigilIntel
import VigilModel

/// The address ranges AWS publishes as its own (`ip-ranges.json`, at
/// https://ip-ranges.amazonaws.com/ip-ranges.json): for each prefix the region it serves and the
/// services that use it (`EC2`, `S3`, `CLOUDFRONT`, …; `AMAZON` is every Amazon range). Whether an
/// address is AWS's — and in which region an EC2 address is — is a fact, not a guess from its
/// autonomous system. `vigil intel update` keeps a copy in the feeds folder (``fileName``).
/// Immutable once read; a more specific prefix answers over a broader one.
public final class AWSIPRanges: Sendable {
    /// What AWS says of one prefix.
    public struct Network: Hashable, Sendable {
        /// `us-east-1`, or `GLOBAL`.
        public let region: String
        /// Sorted service names.
        public let services: [String]

        public var isEC2: Bool { services.contains("EC2") }
    }

    /// The name of the copy in the feeds folder.
    public static let fileName = "aws-ip-ranges.json"
    /// Where AWS publishes the ranges.
    public static let publishedURL = "https://ip-ranges.amazonaws.com/ip-ranges.json"

    /// `createDate` of the document (`2026-11-30-18-13-05`).
    public let createDate: String
    public let prefixCount: Int
    private let set: IPRangeSet<Network>

    /// Reads an `ip-ranges.json` document. Throws when it is not one (prefixes that cannot be read
    /// are skipped; a document without any is an error).
    public init(json data: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw RangesError(reason: "not a JSON object")
        }
        var entries: [(prefix: IPPrefix, value: Network)] = []
        for (member, key) in [("prefixes", "ip_prefix"), ("ipv6_prefixes", "ipv6_prefix")] {
            for item in root[member] as? [[String: Any]] ?? [] {
                guard let text = item[key] as? String, let prefix = IPPrefix(text) else { continue }
                let region = item["region"] as? String ?? "GLOBAL"
                let service = item["service"] as? String ?? "AMAZON"
                entries.append((prefix, Network(region: region, services: [service])))
            }
        }
        guard !entries.isEmpty else { throw RangesError(reason: "no prefixes") }
        createDate = root["createDate"] as? String ?? "unknown"
        set = IPRangeSet(entries) { a, b in
            Network(region: a.region == "GLOBAL" ? b.region : a.region, services: Array(Set(a.services + b.services)).sorted())
        }
        prefixCount = set.prefixCount
    }

    /// The copy in `folder` (the feeds folder), or `nil` when there is none or it cannot be read.
    public static func load(folder: String) -> AWSIPRanges? {
        let url = URL(fileURLWithPath: folder).appendingPathComponent(fileName)
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? AWSIPRanges(json: data)
    }

    /// What AWS publishes for `address`, or `nil` when it is not AWS's.
    public func network(_ address: IPAddress) -> Network? {
        set.lookup(address)
    }

    struct RangesError: Error, CustomStringConvertible {
        let reason: String
        var description: String { "ip-ranges.json: \(reason)" }
    }
}
