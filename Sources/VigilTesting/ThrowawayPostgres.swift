import Foundation

/// A PostgreSQL cluster for the tests of one process: Debian's `initdb` and `pg_ctl` in a temporary
/// folder on a free loopback port, trusting local connections (as root, run as the `postgres`
/// user: initdb refuses root). Started on first use, removed when the process exits; each test
/// takes a database of its own (``newDatabase()``).
public final class ThrowawayPostgres: @unchecked Sendable {
    /// Why the cluster could not be started.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let port: Int
    let folder: String
    let binaries: String
    private let lock = NSLock()
    private var databases = 0

    /// The process's cluster.
    public static func shared() throws -> ThrowawayPostgres {
        try sharedCluster.get()
    }

    private static let sharedCluster: Result<ThrowawayPostgres, Failure> = {
        do {
            let cluster = try ThrowawayPostgres()
            atexit { try? ThrowawayPostgres.sharedCluster.get().stop() }
            return .success(cluster)
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(Failure(description: "\(error)"))
        }
    }()

    init() throws {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?.sorted { $0.compare($1, options: .numeric) == .orderedAscending } ?? []
        guard let version = versions.last else { throw Failure(description: "PostgreSQL is not installed (scripts/install-deps installs Debian's postgresql)") }
        binaries = "/usr/lib/postgresql/\(version)/bin"
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if getuid() == 0 { _ = try Self.run("/bin/chown", ["postgres:postgres", folder]) }
        port = try Self.freePort()
        try command("initdb", ["-D", folder + "/data", "-A", "trust", "-U", "postgres", "--locale=C.UTF-8", "-E", "UTF8"])
        try command("pg_ctl", ["-D", folder + "/data", "-l", folder + "/log", "-w", "-t", "60", "start", "-o",
                               "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"])
    }

    /// A new empty database: its `postgres://` location.
    public func newDatabase() throws -> String {
        let name = lock.withLock { databases += 1; return "vigil_test_\(getpid())_\(databases)" }
        _ = try Self.run(binaries + "/psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1",
                                              "-c", "CREATE DATABASE \(name)"])
        return "postgres://postgres@127.0.0.1:\(port)/\(name)"
    }

    func stop() {
        _ = try? command("pg_ctl", ["-D", folder + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: folder)
    }

    @discardableResult
    private func command(_ tool: String, _ arguments: [String]) throws -> String {
        if getuid() == 0 { return try Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", binaries + "/" + tool] + arguments, in: folder) }
        return try Self.run(binaries + "/" + tool, arguments, in: folder)
    }

    /// Runs a program to its end, its output in a file (read back for errors), with posix_spawn
    /// and waitpid: `pg_ctl` leaves a daemon behind, which a pipe or Foundation's `Process`
    /// would wait on.
    private static func run(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-pg-run-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let command = directory.map { "cd '\($0)' && exec \"$0\" \"$@\"" } ?? "exec \"$0\" \"$@\""
        let argv = ["/bin/sh", "-c", command, executable] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw Failure(description: "cannot start \(executable): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0, code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) failed (status \(status)): \(text)")
        }
        return text
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw Failure(description: "no free port") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
