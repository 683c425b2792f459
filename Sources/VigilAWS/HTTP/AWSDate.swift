import Foundation
import VigilModel

/// Times as AWS writes them in answers (`2026-12-05T07:00:00Z`, `2026-12-05T07:00:00.000Z`).
enum AWSDate {
    static func parse(_ text: String) -> Date? {
        Timestamp(iso8601: text).map { Date(timeIntervalSince1970: TimeInterval($0.millisecondsSinceEpoch) / 1000) }
    }
}
