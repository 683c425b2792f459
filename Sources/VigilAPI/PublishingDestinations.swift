import Foundation
import VigilModel
import VigilStore

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

    public init(roots: [String]) { self.roots = roots }

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

extension GuardDutyAPI {
    func publishingDestinations(_ method: String, _ detector: DetectorRecord, id: String?, _ body: [String: Any],
                                query: [String: String]) throws -> APIResponse {
        func properties(_ value: Any?) throws -> (String, String?) {
            guard let p = value as? [String: Any], let arn = p["destinationArn"] as? String else {
                throw APIError.badRequest("The request is rejected because destinationProperties.destinationArn is missing.")
            }
            return (arn, p["kmsKeyArn"] as? String)
        }
        func status(_ arn: String) -> String {
            guard let folder = exports.folder(for: arn, account: detector.accountId), exports.writable(folder) else {
                return "UNABLE_TO_PUBLISH_FIX_DESTINATION_PROPERTY"
            }
            return "PUBLISHING"
        }
        switch (method, id) {
        case ("POST", nil):
            guard (body["destinationType"] as? String) == "S3" else { throw APIError.badRequest("The request is rejected because destinationType must be S3.") }
            guard try store.destinations(detectorId: detector.id).isEmpty else {
                throw APIError.badRequest("The request is rejected because the detector already has a publishing destination, the most it may have.")
            }
            let (arn, kms) = try properties(body["destinationProperties"])
            guard exports.folder(for: arn, account: detector.accountId) != nil else {
                throw APIError.badRequest("The request is rejected because \(ExportFolders.refusal).")
            }
            let record = DestinationRecord(id: RandomID.make(), detectorId: detector.id, destinationArn: arn, kmsKeyArn: kms, status: status(arn))
            try store.saveDestination(record)
            let tags = try Self.tags(body["tags"])
            if !tags.isEmpty { try store.setTags(tags, resourceArn: Self.arn(detector.accountId, detector.region, "detector/\(detector.id)/publishingDestination/\(record.id)")) }
            return .json(["destinationId": record.id])
        case ("GET", nil):
            let all = try store.destinations(detectorId: detector.id)
            let (page, next) = try Self.page(all.map(\.id), maxResults: query["maxResults"].map { Int($0) ?? -1 }, nextToken: query["nextToken"], limit: 50)
            let byId = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            var out: [String: Any] = ["destinations": page.compactMap { byId[$0] }.map { ["destinationId": $0.id, "destinationType": "S3", "status": $0.status] }]
            if let next { out["nextToken"] = next }
            return .json(out)
        case (_, let id?):
            guard var record = try store.destination(id: id), record.detectorId == detector.id else {
                throw APIError.badRequest("The request is rejected because the destination \(id) does not exist.")
            }
            switch method {
            case "GET":
                var props: [String: String] = ["destinationArn": record.destinationArn]
                if let kms = record.kmsKeyArn { props["kmsKeyArn"] = kms }
                return .json(["destinationId": record.id, "destinationType": "S3", "status": record.status, "publishingFailureStartTimestamp": 0,
                              "destinationProperties": props,
                              "tags": try store.tags(resourceArn: Self.arn(detector.accountId, detector.region, "detector/\(detector.id)/publishingDestination/\(id)"))])
            case "POST":
                let (arn, kms) = try properties(body["destinationProperties"])
                guard exports.folder(for: arn, account: detector.accountId) != nil else {
                    throw APIError.badRequest("The request is rejected because \(ExportFolders.refusal).")
                }
                record.destinationArn = arn
                record.kmsKeyArn = kms
                record.status = status(arn)
                try store.saveDestination(record)
                return .json([:])
            case "DELETE":
                try store.deleteDestination(id: id)
                return .json([:])
            default: break
            }
        default: break
        }
        throw APIError(status: 404, type: "UnknownOperationException", message: "No GuardDuty operation at \(method) publishingDestination.")
    }
}
