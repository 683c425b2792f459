import Foundation
import VigilModel

/// Where a publishing destination's findings are written, always under an allowed root and in the
/// destination account's own prefix of it — so no caller can write anywhere else, or into another
/// account's exports:
///
/// - `arn:aws:s3:::bucket/prefix` → `<first root>/<account>/bucket/prefix` (laid out as
///   GuardDuty's S3 export, to sync to the bucket with `aws s3 sync`);
/// - `file:///folder` → the folder, which must be inside `<root>/<account>/` of one of the roots
///   (symbolic links resolved).
///
/// Every refusal reads the same; no folder is created before the destination is accepted, and
/// none outside the roots.
public struct ExportFolders: Sendable {
    /// The folders exports may be written under (default: the data folder's `exports/`).
    public let roots: [String]
    /// The S3 places each account's destinations are written to in S3 itself (`bucket` or
    /// `bucket/prefix`, by account): the operator's configuration (`exportBuckets`) says which
    /// buckets Vigil's AWS identity may write a tenant's findings to. A destination elsewhere is
    /// written under the roots, laid out for `aws s3 sync`.
    public let buckets: [String: [String]]

    public init(roots: [String], buckets: [String: [String]] = [:]) {
        self.roots = roots
        self.buckets = buckets
    }

    /// `bucket/prefix` of `account`'s destination `arn` when it lies in one of the account's
    /// configured buckets (or under one of their prefixes); `nil` otherwise.
    public func s3Place(for arn: String, account: String) -> String? {
        guard AccountID(account) != nil, arn.hasPrefix("arn:aws:s3:::"), let allowed = buckets[account] else { return nil }
        let parts = arn.dropFirst("arn:aws:s3:::".count).split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let bucket = parts.first, Self.isBucketName(bucket), parts.dropFirst().allSatisfy({ Self.isSafeSegment($0) && !$0.contains("|") })
        else { return nil }
        let place = parts.joined(separator: "/")
        let inside = allowed.contains { entry in
            let trimmed = entry.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
            return place == trimmed || place.hasPrefix(trimmed + "/")
        }
        return inside ? place : nil
    }

    /// The words of every refusal.
    public static let refusal = "the destination is not an S3 bucket ARN (arn:aws:s3:::bucket/prefix) or a file:// folder under this server's exports for the account"

    /// The folder for `account`'s destination `arn`, or `nil` when it is refused.
    public func folder(for arn: String, account: String) -> String? {
        guard AccountID(account) != nil, let firstRoot = roots.first else { return nil }
        if arn.hasPrefix("arn:aws:s3:::") {
            let rest = arn.dropFirst("arn:aws:s3:::".count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard let bucket = rest.first, Self.isBucketName(bucket) else { return nil }
            let prefix = rest.dropFirst().filter { !$0.isEmpty }
            guard prefix.allSatisfy(Self.isSafeSegment) else { return nil }
            return ([firstRoot, account, bucket] + prefix).joined(separator: "/")
        }
        guard let url = URL(string: arn), url.scheme == "file", url.host == nil || url.host == "" || url.host == "localhost" else { return nil }
        let path = url.path
        let segments = path.split(separator: "/").map(String.init)
        guard path.hasPrefix("/"), segments.allSatisfy(Self.isSafeSegment) else { return nil }
        // The deepest existing folder, with its links resolved, plus what does not exist yet.
        var existing = segments, missing: [String] = []
        var real: String?
        while real == nil {
            real = Self.realPath("/" + existing.joined(separator: "/"))
            if real == nil {
                guard let last = existing.popLast() else { return nil }
                missing.insert(last, at: 0)
            }
        }
        let resolved = ([real!] + missing).joined(separator: "/").replacingOccurrences(of: "//", with: "/")
        for root in roots {
            guard let base = Self.realPath(root) ?? Self.plannedRoot(root) else { continue }
            let own = base + "/" + account
            if resolved == own || resolved.hasPrefix(own + "/") { return resolved }
        }
        return nil
    }

    /// Creates the folder (inside a root already checked by ``folder(for:account:)``); whether it can be written.
    public func writable(_ folder: String) -> Bool {
        (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])) != nil
            && FileManager.default.isWritableFile(atPath: folder)
    }

    static func isBucketName(_ name: String) -> Bool {
        (3...63).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") }
            && isSafeSegment(name)
    }

    static func isSafeSegment(_ segment: String) -> Bool {
        segment != "." && segment != ".." && !segment.isEmpty && !segment.contains("\0") && segment.count <= 255
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// A root that does not exist yet, as it will be once made (its parent resolved).
    static func plannedRoot(_ root: String) -> String? {
        let parent = (root as NSString).deletingLastPathComponent
        return realPath(parent).map { $0 + "/" + (root as NSString).lastPathComponent }
    }
}
