import Foundation
import Testing
import WorkersRuntime
import WorkersTesting

/// `scripts/wrangler-kv-export.py`, which turns wrangler's `kv key list` and `kv bulk get` / `kv key get` output
/// into a bulk-put file, run against the `bearer-token` binary's wrangler-compatible `kv` commands in `--local`
/// mode (the script passes `--remote` against Cloudflare).
@Suite("scripts/wrangler-kv-export.py")
struct KVBulkExportScriptTests {
    typealias CLI = WorkerCommandTests
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/wrangler-kv-export.py")

    static func python(_ arguments: [String], in directory: URL) async throws -> CLI.Run {
        try await CLI.run(["python3", script.path] + arguments, in: directory, executable: URL(fileURLWithPath: "/usr/bin/env"))
    }

    @Test("the export keeps text, metadata and expiration, skips keys about to expire, and keeps binary values with --per-key")
    func exportThroughWranglerCommands() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary.path), "build with swift build --build-tests")
        let directory = try CLI.project()
        defer { try? FileManager.default.removeItem(at: directory) }
        let now = Int(Date().timeIntervalSince1970)
        let input = directory.appendingPathComponent("in.json")
        try Data("""
            [{"key":"grant:a","value":"{\\"id\\":\\"a\\"}","metadata":{"label":"x"},"expiration":\(now + 86_400)},
             {"key":"client:c","value":"plain"},
             {"key":"blob","value":"AP8BAgM=","base64":true},
             {"key":"code:soon","value":"c","expiration_ttl":60}]
            """.utf8).write(to: input)
        #expect(try await CLI.run(["kv", "bulk", "put", input.path, "--binding", "DATA"], in: directory).status == 0)

        let wrangler = ["--wrangler", CLI.binary.path, "--local", "--binding", "DATA"]
        let bulk = try await Self.python(wrangler + ["--output", "bulk.json"], in: directory)
        #expect(bulk.status == 0, "\(bulk.stderr)")
        #expect(bulk.stderr.contains("3 records written; 1 skipped (expiring within 120 s)"), "\(bulk.stderr)")
        #expect(bulk.stderr.contains("1 values hold U+FFFD"))
        let viaBulkGet = try KVBulkCommandTests.records(String(contentsOf: directory.appendingPathComponent("bulk.json"), encoding: .utf8))
        #expect(viaBulkGet["grant:a"] == [
            "key": "grant:a", "value": #"{"id":"a"}"#, "metadata": ["label": "x"], "expiration": .number(Double(now + 86_400)),
        ])
        #expect(viaBulkGet["client:c"] == ["key": "client:c", "value": "plain"])
        #expect(viaBulkGet["code:soon"] == nil)

        let perKey = try await Self.python(wrangler + ["--output", "per-key.json", "--per-key", "--", "--config", "wrangler.toml"], in: directory)
        #expect(perKey.status == 0, "\(perKey.stderr)")
        let exact = try KVBulkCommandTests.records(String(contentsOf: directory.appendingPathComponent("per-key.json"), encoding: .utf8))
        #expect(exact["blob"] == ["key": "blob", "value": "AP8BAgM=", "base64": true])
        #expect(exact["grant:a"] == viaBulkGet["grant:a"])
        let mode = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("per-key.json").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // What the script wrote imports here as is.
        let copy = try CLI.project()
        defer { try? FileManager.default.removeItem(at: copy) }
        let put = try await CLI.run(["kv", "bulk", "put", directory.appendingPathComponent("per-key.json").path, "--binding", "DATA"], in: copy)
        #expect(put.status == 0 && put.stderr.contains("Wrote 3 records"), "\(put.stderr)")
    }
}
