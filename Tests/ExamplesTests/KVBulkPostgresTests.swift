import Foundation
import Testing
import WorkersRuntime
import WorkersTesting

/// `kv bulk put` and `export` on a PostgreSQL binding, through the real `github-mcp` binary (which supports the
/// backend), with `DATABASE_URL` in `.dev.vars`: batches are transactions there too.
@Suite("kv bulk on PostgreSQL through the github-mcp executable")
struct KVBulkPostgresTests {
    static let binary = ChildServer.sibling("github-mcp")

    static func run(_ arguments: [String], in directory: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    @Test("a bad record stops the import after the whole batches before it; the rest imports and exports back", .requiresPostgres)
    func bulkOnPostgres() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build with swift build --build-tests")
        let url = try PostgresServer.shared().createDatabase()
        let directory = try WorkerCommandTests.project(wranglerTOML: """
            name = "bulk-pg"
            [[kv_namespaces]]
            binding = "OAUTH_KV"
            backend = "postgres"
            """)
        defer { try? FileManager.default.removeItem(at: directory) }
        let secrets = directory.appendingPathComponent(".dev.vars")
        try "DATABASE_URL=\(url)\n".write(to: secrets, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secrets.path)
        let file = directory.appendingPathComponent("in.json").path
        try Data(KVBulkCommandTests.withBadRecord.utf8).write(to: URL(fileURLWithPath: file))

        let stopped = try Self.run(["kv", "bulk", "put", file, "--binding", "OAUTH_KV", "--batch-size", "2"], in: directory)
        #expect(stopped.status == 1, "\(stopped.stderr)")
        #expect(stopped.stderr.contains("Record 3: "))
        let afterStop = try Self.run(["kv", "bulk", "export", "--binding", "OAUTH_KV"], in: directory)
        #expect(afterStop.status == 0, "\(afterStop.stderr)")
        #expect(Set(try KVBulkCommandTests.records(afterStop.stdout).keys) == ["k0", "k1"])

        let skipped = try Self.run(["kv", "bulk", "put", file, "--binding", "OAUTH_KV", "--batch-size", "2", "--on-error", "skip"], in: directory)
        #expect(skipped.status == 0, "\(skipped.stderr)")
        let records = try KVBulkCommandTests.records(try Self.run(["kv", "bulk", "export", "--binding", "OAUTH_KV"], in: directory).stdout)
        #expect(Set(records.keys) == ["k0", "k1", "k2", "k4", "k5"])
        #expect(records["k4"] == ["key": "k4", "value": "v"])
    }
}
