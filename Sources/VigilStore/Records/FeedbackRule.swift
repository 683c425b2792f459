import Foundation
import VigilModel

/// What user feedback does to a finding and to later sightings of the same activity (the same
/// finding ID: account, region, type, resource and actor).
///
/// `NOT_USEFUL` lowers the finding one severity band — High to Medium (5.0), Medium to Low
/// (2.0) — and a Low finding is archived; later sightings keep adding to its count but can raise
/// its severity no higher than that. `USEFUL` restores the severity the detectors gave and keeps it.
public enum FeedbackRule {
    public static func demoted(_ severity: Double) -> (severity: Double, archive: Bool) {
        switch severity {
        case 7...: return (5.0, false)
        case 4..<7: return (2.0, false)
        default: return (severity, true)
        }
    }
}
