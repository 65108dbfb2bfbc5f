public import Foundation
import Synchronization

/// A throwaway PostgreSQL server for tests: `initdb` into a fresh temporary directory (trust authentication), then
/// `postgres` on a free 127.0.0.1 port with its Unix socket in that directory.
///
/// ```swift
/// let server = try PostgresServer.shared()          // one per test process
/// let url = try server.createDatabase()              // postgres://postgres@127.0.0.1:PORT/test_...
/// try server.stop(); try server.restart()            // same data, same port
/// ```
///
/// The binaries are looked up on `PATH`, then in `/usr/lib/postgresql/*/bin` (Debian's `postgresql` package). As
/// root, the server runs as the `postgres` user (else `nobody`) through `setpriv`, since PostgreSQL refuses to run
/// as root. Without the binaries, suites skip (``isAvailable``), unless `REQUIRE_POSTGRES=1` (``isRequired``), when
/// ``shared()`` throws so that they fail.
public final class PostgresServer: Sendable {
    /// Settings of a server.
    public struct Configuration: Sendable {
        /// `postgres -c name=value` settings. The default turns `fsync` off (a test server's data is thrown away),
        /// allows enough connections for parallel suites, and keeps the log quiet.
        public var settings: [String: String]
        /// How long to wait for the server to accept connections.
        public var startTimeout: Duration

        /// Creates a configuration.
        public init(
            settings: [String: String] = ["fsync": "off", "max_connections": "300", "log_min_messages": "warning"],
            startTimeout: Duration = .seconds(60)
        ) {
            self.settings = settings
            self.startTimeout = startTimeout
        }
    }

    /// The temporary directory: `data/` (the cluster), the socket, `server.log`.
    public let directory: URL
    /// The TCP port, on 127.0.0.1.
    public let port: Int
    /// The directory of the server binaries.
    public let binaries: URL
    let configuration: Configuration
    let account: PostgresServerAccount?
    let process = Mutex<Process?>(nil)

    func setProcess(_ running: Process) {
        process.withLock { $0 = running }
    }

    /// `postgres://postgres@127.0.0.1:PORT/postgres`.
    public var url: String { url(database: "postgres") }

    /// The URL of `database` on this server.
    public func url(database: String) -> String {
        "postgres://postgres@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// How to get the binaries, for skip messages.
    public static let installHint = "PostgreSQL not found: `apt-get install postgresql` to run these tests "
        + "(REQUIRE_POSTGRES=1 makes its absence a failure)"

    /// Whether `REQUIRE_POSTGRES=1` is set: suites must run, and fail without PostgreSQL.
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["REQUIRE_POSTGRES"] == "1" }

    /// Whether the server binaries are installed.
    public static var isAvailable: Bool { findBinaries() != nil }

    /// Whether suites needing a server should run: it is installed, or required.
    public static var shouldRun: Bool { isAvailable || isRequired }

    private static let sharedServer = Mutex<Result<PostgresServer, PostgresServerError>?>(nil)

    /// The server shared by every test of this process, started on first use and stopped at exit.
    /// - Throws: ``PostgresServerError`` when the binaries are missing or the server does not start.
    public static func shared() throws -> PostgresServer {
        try sharedServer.withLock { shared in
            if let shared { return try shared.get() }
            let result = Result { () throws(PostgresServerError) in try PostgresServer.start() }
            shared = result
            if case .success(let server) = result { PostgresServerRegistry.stopAtExit(server) }
            return try result.get()
        }
    }

    /// Starts a new server of its own (for a test that stops it); call ``tearDown()`` when done.
    /// - Throws: ``PostgresServerError`` when the binaries are missing or the server does not start.
    public static func start(configuration: Configuration = Configuration()) throws(PostgresServerError) -> PostgresServer {
        guard let binaries = findBinaries() else { throw PostgresServerError(installHint) }
        PostgresServerRegistry.removeAbandoned()
        let account = getuid() == 0 ? PostgresServerAccount.unprivileged() : nil
        let directory: URL
        do {
            directory = try PostgresServerRegistry.makeDirectory(owner: account)
        } catch {
            throw PostgresServerError("cannot create a directory for the server: \(error)")
        }
        guard let port = LoopbackPort.free() else {
            throw PostgresServerError("no free port on 127.0.0.1 for the server")
        }
        let server = PostgresServer(directory: directory, port: port, binaries: binaries, configuration: configuration, account: account)
        do {
            try server.initialise()
            try server.launch()
        } catch {
            server.tearDown()
            throw error
        }
        return server
    }

    private init(directory: URL, port: Int, binaries: URL, configuration: Configuration, account: PostgresServerAccount?) {
        self.directory = directory
        self.port = port
        self.binaries = binaries
        self.configuration = configuration
        self.account = account
    }

    /// Creates an empty database and returns its URL.
    /// - Parameter name: Its name (letters, digits, `_`); a fresh `test_...` by default.
    public func createDatabase(_ name: String = "test_" + UUID().uuidString.prefix(8).lowercased()) throws -> String {
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw PostgresServerError("\(name) is not a plain database name")
        }
        _ = try run("createdb", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", name])
        return url(database: name)
    }

    /// Runs `sql` with `psql` in `database` and returns its unaligned output (`-At`).
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        try run("psql", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql])
    }

    /// `pg_dump --table` of `table` in `database`: what an at-rest inspection of the KV sees.
    public func dump(table: String = "workers_kv", database: String = "postgres") throws -> String {
        try run("pg_dump", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "--table", table, database])
    }

    /// Stops the server (fast shutdown: sessions are ended) and waits for it to exit. The data stays.
    public func stop() throws {
        guard let running = process.withLock({ process in defer { process = nil }; return process }) else { return }
        kill(running.processIdentifier, SIGINT)
        running.waitUntilExit()
    }

    /// Starts the stopped server again on the same port with the same data.
    public func restart() throws {
        try stop()
        try launch()
    }

    /// Stops the server at once and deletes its directory.
    public func tearDown() {
        if let running = process.withLock({ process in defer { process = nil }; return process }) {
            kill(running.processIdentifier, SIGQUIT)
            running.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// The log the server wrote.
    public var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
    }
}
