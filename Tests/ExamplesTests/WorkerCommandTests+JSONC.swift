import Foundation
import Testing
import WorkersRuntime

extension WorkerCommandTests {
    @Test("a binding declared only in wrangler.jsonc (preferred to the wrangler.toml beside it) works with kv key put/get")
    func kvWithWranglerJSONC() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build with swift build --build-tests")
        let directory = try Self.project()  // its wrangler.toml declares only DATA
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
        // wrangler.jsonc: wrangler reads it before wrangler.toml
        {
          "name": "cli-jsonc", /* a block comment */
          "kv_namespaces": [
            { "binding": "OAUTH_KV", "id": "oauth" }, // trailing commas are fine
          ],
          "env": { "staging": { "kv_namespaces": [{ "binding": "STAGING_KV", "id": "staging" }] } },
        }
        """.write(to: directory.appendingPathComponent("wrangler.jsonc"), atomically: true, encoding: .utf8)
        let nested = directory.appendingPathComponent("src/deeper")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)

        let put = try await Self.run(["kv", "key", "put", "grant", "g-1", "--binding", "OAUTH_KV"], in: nested)
        #expect(put.status == 0, "\(put.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(".wrangler/state/kv/oauth.sqlite").path))
        let get = try await Self.run(["kv", "key", "get", "grant", "--binding", "OAUTH_KV"], in: directory)
        #expect(get.status == 0 && get.stdout == "g-1", "\(get.stderr)")

        let toml = try await Self.run(["kv", "key", "list", "--binding", "DATA"], in: directory)
        #expect(toml.status != 0)
        #expect(toml.stderr.contains("OAUTH_KV"))

        let staging = try await Self.run(["kv", "key", "put", "k", "v", "--binding", "STAGING_KV", "--env", "staging"], in: directory)
        #expect(staging.status == 0, "\(staging.stderr)")
    }

    @Test("a malformed wrangler.jsonc stops the command with its file, line and column")
    func malformedWranglerJSONC() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build with swift build --build-tests")
        let directory = try Self.project()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "{\n  \"kv_namespaces\": [\n    { \"binding\": \"OAUTH_KV\" \"id\": \"x\" }\n  ]\n}\n"
            .write(to: directory.appendingPathComponent("wrangler.jsonc"), atomically: true, encoding: .utf8)
        let run = try await Self.run(["kv", "key", "list", "--binding", "OAUTH_KV"], in: directory)
        #expect(run.status != 0)
        #expect(run.stderr.contains("wrangler.jsonc:3:29: invalid JSON: expected \",\" or \"}\""), "\(run.stderr)")
    }
}
