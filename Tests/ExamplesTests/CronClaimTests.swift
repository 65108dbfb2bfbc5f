import Foundation
import Testing
import WorkersTesting

/// Two `github-mcp` instances on one store, with a cron every minute: each scheduled time runs on one of them only
/// (its purge logs once), on a shared SQLite file and on a shared PostgreSQL database.
@Suite("one cron run per schedule across instances")
struct CronClaimTests {
    static let binary = ChildServer.sibling("github-mcp")
    static let standIn = ChildServer.sibling("github-stand-in")
    static let ranLine = "github-mcp: purged expired data"

    @Test("SQLite: two instances on one file run a minute's cron once")
    func sqlite() async throws {
        let directory = try Self.project(kvSection: "")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.runTwoInstances(in: directory)
    }

    @Test("PostgreSQL: two instances on one database run a minute's cron once", .requiresPostgres)
    func postgres() async throws {
        let database = try PostgresServer.shared()
        let url = try database.createDatabase()
        let github = try ChildServer.start(
            Self.standIn, arguments: ["--port", "0", "--client-id", "cron-app", "--client-secret", "cron-secret"],
            announcement: .standardOutput
        )
        defer { Task { _ = await github.stop() } }
        let directory = try Self.project(
            kvSection: "backend = \"postgres\"\n",
            vars: "GITHUB_OAUTH_BASE = \"http://127.0.0.1:\(github.port)\"\nGITHUB_API_BASE = \"http://127.0.0.1:\(github.port)\"\n",
            secrets: "DATABASE_URL=\(url)\nCOOKIE_ENCRYPTION_KEY=\(String(repeating: "k", count: 40))\nGITHUB_CLIENT_ID=cron-app\nGITHUB_CLIENT_SECRET=cron-secret\n"
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.runTwoInstances(in: directory)
    }

    /// Starts two instances, waits past the next minute boundary (plus time for the run), stops both, and counts
    /// the runs each logged: one in all per boundary crossed.
    static func runTwoInstances(in directory: URL) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build with swift build --build-tests")
        let arguments = ["serve", "--ip", "127.0.0.1", "--port", "0", "--log-level", "info"]
        let first = try ChildServer.start(binary, arguments: arguments, in: directory)
        let second = try ChildServer.start(binary, arguments: arguments, in: directory)
        let started = Date()
        let nextMinute = (started.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60
        try await Task.sleep(for: .seconds(nextMinute - started.timeIntervalSince1970 + 8))
        let stopped = Date()
        _ = await first.stop()
        _ = await second.stop()
        let outputs = [await first.laterOutput(), await second.laterOutput()]
        let runs = outputs.map { $0.components(separatedBy: ranLine).count - 1 }
        // The boundaries crossed while both ran (normally one; two if the machine stalled past the next one).
        let boundaries = Int((stopped.timeIntervalSince1970 / 60).rounded(.down) - (started.timeIntervalSince1970 / 60).rounded(.down))
        #expect(boundaries >= 1)
        #expect(runs.reduce(0, +) == boundaries, "runs per instance: \(runs)\n\(outputs.joined(separator: "\n---\n"))")
    }

    /// A github-mcp project: a cron every minute and `OAUTH_KV` (with `kvSection`'s extra keys).
    static func project(kvSection: String, vars: String = "", secrets: String = "") throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cron-claim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try """
            name = "cron-claim"

            [triggers]
            crons = ["* * * * *"]

            [[kv_namespaces]]
            binding = "OAUTH_KV"
            \(kvSection)
            [vars]
            MCP_RESPONSE_MODE = "json"
            \(vars)
            """.write(to: directory.appendingPathComponent("wrangler.toml"), atomically: true, encoding: .utf8)
        if !secrets.isEmpty {
            let path = directory.appendingPathComponent(".dev.vars")
            try secrets.write(to: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path.path)
        }
        return directory
    }
}
