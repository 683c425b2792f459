/// How a database's autonomous-system and country facts can be read by a ``GeoFactsReader``.
enum GeoFactTable {
    /// Straight from a flattened table, without locks or reference counts.
    case table(GeoRangeTable.Columns)
    /// Not yet: the table is being built (or the database not yet opened); ask the database.
    case notYet
    /// The database turned out not to exist: it knows nothing.
    case absent
    /// Only through the database's own lookups (a MaxMind file, Tor's GeoIP lists).
    case lookupsOnly
}

/// A database that can hand its facts table to a ``GeoFactsReader``.
protocol GeoFactTableSource {
    var factTable: GeoFactTable { get }
}
