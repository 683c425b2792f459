import Foundation
import VigilModel

/// Renders findings for people and programs.
enum FindingsOutput {
    /// The GetFindings response body: `{"findings": [ … ]}`.
    static func json(_ findings: [Finding]) throws -> String {
        struct Body: Encodable { let findings: [Finding] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(Body(findings: findings)), as: UTF8.self) + "\n"
    }

    /// A readable table: severity, type, count, last seen, resource, title.
    static func table(_ findings: [Finding]) -> String {
        guard !findings.isEmpty else { return "No findings.\n" }
        var rows: [[String]] = [["SEVERITY", "TYPE", "COUNT", "LAST SEEN", "ACCOUNT", "RESOURCE", "TITLE"]]
        for f in findings {
            rows.append([
                "\(f.severityLevel.rawValue) \(String(format: "%.1f", f.severity))", f.type, "\(f.service?.count ?? 1)",
                f.service?.eventLastSeen ?? f.updatedAt, f.accountId, resourceName(f.resource), f.title ?? "",
            ])
        }
        let widths = (0..<rows[0].count - 1).map { column in min(60, rows.map { $0[column].count }.max() ?? 0) }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index < widths.count ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) : cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    static func resourceName(_ r: Resource) -> String {
        if let bucket = r.s3BucketDetails?.first?.name { return "bucket \(bucket)" }
        if let instance = r.instanceDetails?.instanceId { return instance }
        if let key = r.accessKeyDetails {
            return [key.userType, key.userName, key.accessKeyId].compactMap { $0 }.joined(separator: " ")
        }
        return r.resourceType ?? "-"
    }
}
