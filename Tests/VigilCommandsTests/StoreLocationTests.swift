import Testing
@testable import VigilCommands
import VigilPostgres

/// Which store a command opens: `--store` over `$VIGIL_STORE` over the configuration over SQLite in
/// the data folder; PostgreSQL locations read strictly, their password never shown.
@Suite struct StoreLocationTests {
    @Test func precedenceAndDefault() throws {
        let environment = ["VIGIL_STORE": "sqlite:/srv/env"]
        #expect("\(try StoreLocation(option: nil, configuration: nil, dataDirectory: "/d", environment: [:]))" == "/d/vigil.sqlite")
        #expect("\(try StoreLocation(option: nil, configuration: "sqlite:/srv/config", dataDirectory: "/d", environment: [:]))" == "/srv/config/vigil.sqlite")
        #expect("\(try StoreLocation(option: nil, configuration: "sqlite:/srv/config", dataDirectory: "/d", environment: environment))" == "/srv/env/vigil.sqlite")
        #expect("\(try StoreLocation(option: "sqlite:/srv/option", configuration: "sqlite:/srv/config", dataDirectory: "/d", environment: environment))"
            == "/srv/option/vigil.sqlite")
    }

    @Test func postgresLocations() throws {
        let location = try PostgresLocation("postgres://vigil:s3cr%40t@db.internal:6432/findings?sslmode=require", environment: [:])
        #expect(location.host == "db.internal" && location.port == 6432 && location.user == "vigil" && location.database == "findings")
        #expect(location.password == "s3cr@t" && location.requireTLS)
        #expect(location.description == "postgres://vigil@db.internal:6432/findings")  // no password in logs
        let fromEnvironment = try PostgresLocation("postgresql://vigil@db/findings", environment: ["PGPASSWORD": "pw"])
        #expect(fromEnvironment.password == "pw" && fromEnvironment.port == 5432 && !fromEnvironment.requireTLS)
        #expect(fromEnvironment.connections == 12)
        #expect(try PostgresLocation("postgres://vigil@db/findings?connections=3", environment: [:]).connections == 3)
        for bad in ["postgres://db/findings", "postgres://vigil@db", "postgres://vigil@db/a/b", "mysql://vigil@db/findings",
                    "postgres://vigil@db/findings?sslmode=allow", "postgres://vigil@db/findings?connections=0",
                    "postgres://vigil@db/findings?connections=65", "postgres://vigil@db/findings?connections=many"] {
            #expect(throws: PostgresLocation.Invalid.self, "\(bad)") { try PostgresLocation(bad, environment: [:]) }
        }
        for bad in ["sqlite:", "/var/lib/vigil", "postgres://db/findings"] {
            #expect(throws: StoreLocation.Invalid.self, "\(bad)") { try StoreLocation(option: bad, configuration: nil, dataDirectory: "/d", environment: [:]) }
        }
    }
}
