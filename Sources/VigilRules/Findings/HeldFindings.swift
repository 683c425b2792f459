import Foundation
import VigilDetection
import VigilLogs
import VigilModel

/// The findings of a rule a sink holds, with the principal, account and region each is for: plain
/// values over one buffer of their bytes, so that checking a repeat retains and copies nothing.
struct HeldFindings {
    private struct Entry {
        let account: AccountID
        /// `principal` then `region` in ``bytes``; a length of -1 for no principal.
        let start: Int
        let principalCount: Int
        let regionCount: Int
        let handle: RepeatHandle
    }

    private var entries: [Entry] = []
    private var bytes: [UInt8] = []

    var count: Int { entries.count }

    /// Longest principal and region kept (bytes each): a log's longer names are counted through
    /// the sink's identity lookup instead, so that held bytes stay small whatever the logs hold.
    static let longestName = 2048

    /// Keeps `handle` for the sighting; returns its index, or `nil` for a name longer than
    /// ``longestName``.
    mutating func append(principal: RawText?, account: AccountID, region: RawText, handle: RepeatHandle) -> Int? {
        guard (principal?.count ?? 0) <= Self.longestName, region.count <= Self.longestName else { return nil }
        let start = bytes.count
        if let principal { bytes.append(contentsOf: principal.bytes) }
        bytes.append(contentsOf: region.bytes)
        entries.append(Entry(account: account, start: start, principalCount: principal?.count ?? -1, regionCount: region.count, handle: handle))
        return entries.count - 1
    }

    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
    }

    /// The handle at `index` if it is the finding for `principal` in `account` and `region`
    /// (compared byte for byte).
    func handle(at index: Int, principal: RawText?, account: AccountID, region: RawText) -> RepeatHandle? {
        entries.withUnsafeBufferPointer { entries -> RepeatHandle? in
            guard index >= 0, index < entries.count else { return nil }
            let entry = entries[index]
            guard entry.account == account, entry.principalCount == (principal?.count ?? -1), entry.regionCount == region.count else { return nil }
            return bytes.withUnsafeBytes { stored -> RepeatHandle? in
                let principalCount = max(entry.principalCount, 0)
                guard let principal, principalCount > 0 else {
                    return Self.equal(stored, at: entry.start, region) ? entry.handle : nil
                }
                guard Self.equal(stored, at: entry.start, principal) else { return nil }
                return Self.equal(stored, at: entry.start + principalCount, region) ? entry.handle : nil
            }
        }
    }

    /// Whether `stored` holds `text`'s bytes at `offset` (`text.count` of them, which fit: the
    /// entry's counts were compared first).
    private static func equal(_ stored: UnsafeRawBufferPointer, at offset: Int, _ text: RawText) -> Bool {
        text.count == 0 || memcmp(stored.baseAddress! + offset, text.start!, text.count) == 0
    }
}
