import VigilModel

/// One thread's way to an ``IPEnricher``'s autonomous-system and country facts, for a detector
/// that asks for every event (the CloudTrail baselines).
///
/// Once every database has its flattened table, lookups read the tables' columns directly: no
/// lock and no reference count on anything shared, so partitions on several cores asking at once
/// do not bounce the same cache lines between them (through the shared enricher, each lookup
/// retained and released its databases and tables). Until then, and for databases without such a
/// table, it asks the enricher. Not thread-safe: one per detector, whose account lives on one
/// partition.
public final class GeoFactsReader {
    /// The enricher, for what is asked rarely (names, full locations).
    public let enricher: IPEnricher
    private var tables: [GeoRangeTable.Columns]?
    /// Lookups left before the tables are asked for again (they are asked for sparingly: asking
    /// goes through the shared databases).
    private var untilNextCheck = 0
    private var lookupsOnly = false

    public init(_ enricher: IPEnricher) {
        self.enricher = enricher
    }

    /// The autonomous system and country of a public address, or `nil`: the same answer as
    /// ``IPEnricher/facts(_:)``.
    public func facts(_ address: IPAddress) -> GeoFacts? {
        if let tables {
            guard !address.isPrivate else { return nil }
            if tables.count == 1 { return tables[0].facts(address) }
            return GeoFacts.merged(count: tables.count) { tables[$0].facts(address) }
        }
        if !lookupsOnly {
            if untilNextCheck == 0 {
                untilNextCheck = 1024
                tables = enricher.factTables()
                if tables != nil { return facts(address) }
                lookupsOnly = enricher.databases.contains { ($0 as? any GeoFactTableSource)?.factTable.isLookupsOnly ?? true }
            }
            untilNextCheck -= 1
        }
        return enricher.facts(address)
    }
}

extension GeoFactTable {
    var isLookupsOnly: Bool {
        if case .lookupsOnly = self { return true }
        return false
    }
}
