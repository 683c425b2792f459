import Foundation
import VigilAWS
import VigilModel

/// Lists the objects under an S3 location the way AWS's log layout allows: everything at once
/// for a full read; with a start date, walking the layout's folders
/// (`AWSLogs/<account>/<service>/<region or VPC>/`, organisation trails' `AWSLogs/o-…/<account>/…`,
/// Hive-style `aws-account-id=…/…`) down to each date root and listing from the start day on
/// (`StartAfter`), so a bucket holding years of logs is not listed from its first day.
public struct S3LogListing: Sendable {
    private let client: S3Client
    /// The deepest folder walk before listing flat (the layout is at most eight levels down).
    static let maximumDepth = 12

    public init(client: S3Client) {
        self.client = client
    }

    /// The objects under `location` in key order — from `since`'s day on when given (objects
    /// outside any dated folder are all listed) — without folder markers (keys ending in `/`).
    public func objects(under location: S3Location, since: Timestamp? = nil) async throws -> [S3Client.Object] {
        let found: [S3Client.Object]
        if let since {
            found = try await walk(location.bucket, prefix: location.prefix, since: since, depth: 0)
        } else {
            found = try await client.listAll(bucket: location.bucket, prefix: location.prefix)
        }
        return found.filter { !$0.key.hasSuffix("/") }.sorted { $0.key < $1.key }
    }

    private func walk(_ bucket: String, prefix: String, since: Timestamp, depth: Int) async throws -> [S3Client.Object] {
        var objects: [S3Client.Object] = []
        var folders: [String] = []
        var token: String?
        repeat {
            let page = try await client.listPage(bucket: bucket, prefix: prefix, delimiter: "/", continuationToken: token)
            objects += page.objects
            folders += page.commonPrefixes
            token = page.continuationToken
        } while token != nil
        guard !folders.isEmpty else { return objects }
        let names = folders.map { Self.lastComponent($0) }
        if names.allSatisfy(Self.isYear), let start = Self.startAfter(prefix: prefix, hive: names.first?.hasPrefix("year=") == true, since: since) {
            return objects + (try await client.listAll(bucket: bucket, prefix: prefix, startAfter: start))
        }
        guard depth < Self.maximumDepth else {
            for folder in folders { objects += try await client.listAll(bucket: bucket, prefix: folder) }
            return objects
        }
        for folder in folders { objects += try await walk(bucket, prefix: folder, since: since, depth: depth + 1) }
        return objects
    }

    /// `AWSLogs/1/CloudTrail/us-east-1/2023/` → `2023`.
    static func lastComponent(_ folder: String) -> String {
        String(folder.dropLast(folder.hasSuffix("/") ? 1 : 0).split(separator: "/").last ?? "")
    }

    /// `2023`, or Hive-style `year=2023`.
    static func isYear(_ name: String) -> Bool {
        let digits = name.hasPrefix("year=") ? name.dropFirst("year=".count) : Substring(name)
        return digits.count == 4 && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
    }

    /// The key every object of `since`'s day or later sorts after, under a date root: `…/2023/11/14`
    /// (its day's objects are `…/2023/11/14/…`), Hive-style `…/year=2023/month=11/day=14`.
    static func startAfter(prefix: String, hive: Bool, since: Timestamp) -> String? {
        let (year, month, day) = since.civilDate
        guard (0...9999).contains(year) else { return nil }
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let y = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return hive ? "\(prefix)year=\(y)/month=\(two(month))/day=\(two(day))" : "\(prefix)\(y)/\(two(month))/\(two(day))"
    }
}
