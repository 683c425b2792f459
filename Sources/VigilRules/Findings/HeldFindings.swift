import Foundation
import VigilDetection
import VigilLogs
import VigilModel

/// The findings of a rule a sink holds, by the principal, account and region each is for: an
/// index by a hash of the three, and plain values over one buffer of their bytes that every hit is
/// compared with byte for byte (a collision costs a lookup, never a wrong count), so that checking
/// a repeat retains and copies nothing. Only sightings whose event names its region are held (the
/// region of one that does not comes from its file, which these bytes do not say). At most
/// ``limit`` findings are held; then the index starts afresh.
struct HeldFindings {
    private struct Entry {
        let account: AccountID
        /// `principal` then `region` in ``bytes``; a principal count of -1 for no principal.
        let start: Int
        let principalCount: Int
        let regionCount: Int
        let handle: RepeatHandle
    }

    private var index: [UInt64: Int] = [:]
    private var entries: [Entry] = []
    private var bytes: [UInt8] = []

    /// Most findings held at once.
    static let limit = 4096
    /// Longest principal and region held (bytes each): a log's longer names are counted through
    /// the sink's identity lookup instead, so that held bytes stay small whatever the logs hold.
    static let longestName = 2048

    var count: Int { entries.count }

    /// Holds `handle` for the sighting, unless its region is absent or a name is longer than
    /// ``longestName``.
    mutating func hold(_ handle: RepeatHandle, principal: RawText?, account: AccountID, region: RawText) {
        guard region.isPresent, (principal?.count ?? 0) <= Self.longestName, region.count <= Self.longestName else { return }
        if entries.count >= Self.limit { removeAll() }
        let start = bytes.count
        if let principal { bytes.append(contentsOf: principal.bytes) }
        bytes.append(contentsOf: region.bytes)
        entries.append(Entry(account: account, start: start, principalCount: principal?.count ?? -1, regionCount: region.count, handle: handle))
        index[Self.key(principal: principal, account: account, region: region)] = entries.count - 1
    }

    mutating func removeAll() {
        index.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
    }

    /// The handle held for `principal` in `account` and `region`, if any.
    func handle(principal: RawText?, account: AccountID, region: RawText) -> RepeatHandle? {
        guard region.isPresent, let position = index[Self.key(principal: principal, account: account, region: region)] else { return nil }
        return entries.withUnsafeBufferPointer { entries -> RepeatHandle? in
            let entry = entries[position]
            guard entry.account == account, entry.principalCount == (principal?.count ?? -1), entry.regionCount == region.count else { return nil }
            return bytes.withUnsafeBytes { stored -> RepeatHandle? in
                guard principal.map({ Self.equal(stored, at: entry.start, $0) }) ?? true,
                      Self.equal(stored, at: entry.start + max(entry.principalCount, 0), region) else { return nil }
                return entry.handle
            }
        }
    }

    /// A 64-bit key of a sighting's principal, account and region.
    private static func key(principal: RawText?, account: AccountID, region: RawText) -> UInt64 {
        let seed = WordHash.hash(region.bytes, seed: account.number)
        return principal.map { WordHash.hash($0.bytes, seed: seed) } ?? seed
    }

    /// Whether `stored` holds `text`'s bytes at `offset` (`text.count` of them, which fit: the
    /// entry's counts were compared first).
    private static func equal(_ stored: UnsafeRawBufferPointer, at offset: Int, _ text: RawText) -> Bool {
        text.count == 0 || memcmp(stored.baseAddress! + offset, text.start!, text.count) == 0
    }
}
