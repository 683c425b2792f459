import Foundation
import VigilModel

/// Where the findings pipeline commits what it analysed: findings, the files (or parts of files)
/// they came from, the volume analysed, suppression, publication and learned state — all in one
/// transaction, so that a crash leaves either all or none of it (nothing is counted twice after a
/// restart, nothing is lost).
public protocol AnalysisStore: Sendable {
    /// Merges findings and records the files they came from as analysed, in one transaction; also
    /// archives the findings in `archive` (suppression
    /// rules) and, with `publication`, puts an event for each new finding that is not archived
    /// into the outbox, marks updated ones as due for publication, and replaces the learned state
    /// of the detectors named in `learned` (by `<account>/<detector name>`). With `cluster` (a
    /// node of a cluster), the commit is refused with ``LeaseLost`` unless the node still holds
    /// every lease it names, and it also writes the node's handovers and deletes those it analysed.
    func commit(_ findings: [Finding], analysed files: [AnalysedFile], usage: [UsageRecord], archive: Set<String>,
                publication: Publication?, learned: [String: Data], cluster: ClusterCommit?) throws

    /// The size (bytes read so far) and modification time the file had when it was last analysed;
    /// checkpoints are written by ``commit(_:analysed:usage:)``.
    func checkpoint(path: String) throws -> AnalysedFile?
}

extension AnalysisStore {
    /// Merges findings and records the files they came from as analysed, in one transaction
    /// (nothing archived, published or learned).
    public func commit(_ findings: [Finding], analysed files: [AnalysedFile], usage: [UsageRecord]) throws {
        try commit(findings, analysed: files, usage: usage, archive: [], publication: nil, learned: [:], cluster: nil)
    }

    /// A commit of one node alone (no cluster).
    public func commit(_ findings: [Finding], analysed files: [AnalysedFile], usage: [UsageRecord], archive: Set<String>,
                       publication: Publication?, learned: [String: Data]) throws {
        try commit(findings, analysed: files, usage: usage, archive: archive, publication: publication, learned: learned, cluster: nil)
    }

    /// Merges findings (the same ID adds counts and widens first and last seen) with nothing else.
    public func merge(_ findings: [Finding]) throws {
        try commit(findings, analysed: [], usage: [])
    }
}
