/// The SQL a store speaks: what differs between SQLite and PostgreSQL in the statements Vigil
/// builds at run time (placeholders, wildcards, times, JSON).
public enum SQLDialect: Sendable {
    case sqlite
    case postgres
}
