import Foundation
import VigilModel

/// How the findings of a scan of a simulated estate compare with the attacks injected into it:
/// which attacks were detected, and which findings no attack explains ("false findings"), counted
/// after the learning period against the benign records written in that time.
public struct SimulationReport: Sendable {
    public struct AttackResult: Sendable {
        public var attack: EstateSimulator.Attack
        /// Expected types found for the attack.
        public var detectedBy: [String]
        public var detected: Bool { !detectedBy.isEmpty }
    }

    public var results: [AttackResult]
    public var falseFindings: [Finding]
    public var benignRecords: Int
    /// Benign records after the learning period by data source (`CloudTrail`, `VPC Flow Logs`, `DNS`).
    public var benignBySource: [String: Int]
    public var falsePerMillion: Double { benignRecords == 0 ? 0 : Double(falseFindings.count) * 1e6 / Double(benignRecords) }
    public var detectionRate: Double { results.isEmpty ? 0 : Double(results.filter(\.detected).count) / Double(results.count) }

    /// A finding explains an attack when it is in the attack's account, of an expected or related
    /// type, mentions one of the attack's markers (its address or domain), and its first and last
    /// sightings overlap the attack's time (from half an hour before to two hours after: hourly
    /// models judge an hour when the next one begins). An attack sequence is explained when one of
    /// its signals is.
    public init(manifest: EstateSimulator.Manifest, findings: [Finding]) {
        func seconds(_ iso: String?) -> Int64 { iso.flatMap { Timestamp(iso8601: $0) }?.secondsSinceEpoch ?? 0 }
        let texts = Dictionary(findings.map { f in (f.id, (try? JSONEncoder().encode(f)).map { String(decoding: $0, as: UTF8.self) } ?? "") },
                               uniquingKeysWith: { a, _ in a })
        func overlaps(_ f: Finding, _ a: EstateSimulator.Attack) -> Bool {
            let first = seconds(f.service?.eventFirstSeen ?? f.createdAt), last = seconds(f.service?.eventLastSeen ?? f.updatedAt)
            guard f.accountId == a.accountId, first <= seconds(a.end) + 7200, last >= seconds(a.start) - 1800 else { return false }
            let text = texts[f.id] ?? ""
            return a.markers.isEmpty || a.markers.contains { text.contains($0) }
        }
        results = manifest.attacks.map { attack in
            let found = findings.filter { overlaps($0, attack) && attack.expected.contains($0.type) }.map(\.type)
            return AttackResult(attack: attack, detectedBy: Array(Set(found)).sorted())
        }
        let learningEnds = seconds(manifest.learningEnds)
        func explained(_ finding: Finding) -> Bool {
            manifest.attacks.contains { overlaps(finding, $0) && ($0.expected + $0.related).contains(finding.type) }
        }
        // An attack sequence is explained when one of its signals is: it tells the attack's story.
        let explainedIds = Set(findings.filter(explained).map(\.id))
        falseFindings = findings.filter { finding in
            guard seconds(finding.service?.eventLastSeen ?? finding.updatedAt) >= learningEnds else { return false }
            if let signals = finding.service?.detection?.sequence?.signals {
                return !signals.contains { explainedIds.contains($0.uid) }
            }
            return !explained(finding)
        }
        benignRecords = manifest.benignAfterLearning.values.reduce(0, +)
        benignBySource = manifest.benignAfterLearning
    }

    public var text: String {
        var out = "attack                              detected  by\n"
        for r in results {
            out += r.attack.name.padding(toLength: 36, withPad: " ", startingAt: 0) + (r.detected ? "yes       " : "NO        ")
                + (r.detected ? r.detectedBy.joined(separator: ", ") : "(expected \(r.attack.expected.joined(separator: " or ")))") + "\n"
        }
        out += String(format: "detected %d of %d attacks (%.0f %%)\n", results.filter(\.detected).count, results.count, detectionRate * 100)
        out += String(format: "false findings after the learning period: %d over %d benign records (%.1f per million)\n",
                      falseFindings.count, benignRecords, falsePerMillion)
        for (source, records) in benignBySource.sorted(by: { $0.key < $1.key }) {
            let count = falseFindings.filter { FindingCatalogue.info($0.type)?.dataSource.rawValue == source }.count
            out += String(format: "  %@: %d over %d benign records (%.1f per million)\n", source, count, records,
                          records == 0 ? 0 : Double(count) * 1e6 / Double(records))
        }
        for f in falseFindings.prefix(20) { out += "  false: \(f.type) \(f.accountId) \(f.service?.eventFirstSeen ?? "") \(f.title ?? "")\n" }
        return out
    }
}
