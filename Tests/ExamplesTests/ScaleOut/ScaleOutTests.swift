import Foundation
import Testing
import WorkersTesting

/// The scale-out proof with real parts: a throwaway PostgreSQL, one `github-stand-in`, two `github-mcp` instances
/// (`MCP_SESSION_MODE = "stateless"`) on that store, and nginx round-robin in front (no sticky sessions,
/// `public_origin` set to nginx). The official Python MCP SDK client (`Tests/python/scale_out_client.py`) connects
/// through nginx: discovery, DCR, consent, PKCE, token, every tool, a refresh and a second session; then one instance
/// is killed with SIGKILL and the client's next session still succeeds.
///
/// Needs nginx, PostgreSQL's server binaries and a Python with `mcp` (MCP_PYTHON, else `.venv-ci/bin/python`, else
/// `python3`); skipped, saying which is missing, without them, unless `REQUIRE_SCALE_OUT=1` (as `.ci/run` sets).
@Suite("scale-out: two github-mcp instances behind nginx on one PostgreSQL")
struct ScaleOutTests {
    /// The package root (this file is `Tests/ExamplesTests/ScaleOut/ScaleOutTests.swift`).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test("the Python SDK client works through nginx round-robin, and keeps working after one instance is killed",
          .enabled(if: ScaleOutParts.shouldRun, Comment(rawValue: ScaleOutParts.missingHint)))
    func throughNginx() async throws {
        let parts = try #require(ScaleOutParts.found, Comment(rawValue: ScaleOutParts.missingHint))
        let database = try PostgresServer.shared()
        let databaseURL = try database.createDatabase()
        let github = try ChildServer.start(
            ChildServer.sibling("github-stand-in"),
            arguments: ["--port", "0", "--client-id", "scale-out-app", "--client-secret", "scale-out-secret"],
            announcement: .standardOutput
        )
        defer { Task { _ = await github.stop() } }

        let nginxPort = try #require(LoopbackPort.free())
        let origin = "http://127.0.0.1:\(nginxPort)"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scale-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
            name = "github-mcp"

            [[kv_namespaces]]
            binding = "OAUTH_KV"
            backend = "postgres"

            [vars]
            MCP_SESSION_MODE = "stateless"
            GITHUB_OAUTH_BASE = "http://127.0.0.1:\(github.port)"
            GITHUB_API_BASE = "http://127.0.0.1:\(github.port)"

            [swift_workers]
            public_origin = "\(origin)"
            trust_forwarded_headers = true
            """.write(to: directory.appendingPathComponent("wrangler.toml"), atomically: true, encoding: .utf8)
        let secrets = directory.appendingPathComponent(".dev.vars")
        try """
            DATABASE_URL=\(databaseURL)
            COOKIE_ENCRYPTION_KEY=\(UUID().uuidString)\(UUID().uuidString)
            GITHUB_CLIENT_ID=scale-out-app
            GITHUB_CLIENT_SECRET=scale-out-secret

            """.write(to: secrets, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secrets.path)

        let binary = ChildServer.sibling("github-mcp")
        let arguments = ["serve", "--ip", "127.0.0.1", "--port", "0", "--log-level", "warning"]
        let first = try ChildServer.start(binary, arguments: arguments, in: directory)
        defer { Task { _ = await first.stop(signal: SIGKILL) } }
        let second = try ChildServer.start(binary, arguments: arguments, in: directory)
        defer { Task { _ = await second.stop() } }

        let nginx = try NginxProxy.start(
            binary: parts.nginx, port: nginxPort, upstreams: [first.port, second.port], directory: directory.appendingPathComponent("nginx")
        )
        defer { nginx.stop() }

        let client = try PythonClient.start(
            python: parts.python, script: Self.repository.appendingPathComponent("Tests/python/scale_out_client.py"),
            arguments: [origin + "/mcp"], errorFile: directory.appendingPathComponent("client.err")
        )
        defer { client.kill() }
        let beforeKill: String
        do { beforeKill = try await client.readUntil("KILL-ONE") } catch {
            Issue.record("\(error)\nnginx: \(nginx.errorLog())\n\((try? nginx.accessLog())?.map(\.description) ?? [])")
            return
        }
        #expect(beforeKill.contains("PHASE first-session ok"), "\(beforeKill)")
        #expect(beforeKill.contains("PHASE refresh-and-second-session ok"), "\(beforeKill)")
        let servedBeforeKill = try nginx.accessLog()

        _ = await first.stop(signal: SIGKILL)
        // The dead instance's port stays dead: another test's server given it would answer nginx in its place.
        let held = LoopbackPort.hold(first.port)
        defer { held?.release() }
        try client.send("killed\n")
        let (status, rest) = await client.finish()
        #expect(status == 0, "the client failed after one instance was killed:\n\(beforeKill)\(rest)\n\(client.errors)\n\(nginx.errorLog())")
        #expect(rest.contains("PHASE after-kill ok"), "\(rest)")

        // Round-robin: both instances served MCP requests of this one client before the kill.
        let mcpUpstreams = servedBeforeKill.filter { $0.path == "/mcp" && $0.status == 200 }.map(\.upstream)
        #expect(mcpUpstreams.contains { $0.hasSuffix(":\(first.port)") }, "\(servedBeforeKill)")
        #expect(mcpUpstreams.contains { $0.hasSuffix(":\(second.port)") }, "\(servedBeforeKill)")
        // After the kill, every MCP request that got an answer was answered by the survivor.
        let afterKill = try nginx.accessLog().dropFirst(servedBeforeKill.count)
        #expect(!afterKill.isEmpty)
        for entry in afterKill where entry.path == "/mcp" {
            #expect(entry.upstream.hasSuffix(":\(second.port)"), "\(entry)")
        }
    }
}
