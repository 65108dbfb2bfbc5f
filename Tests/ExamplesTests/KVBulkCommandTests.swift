import Foundation
import Testing
import WorkersRuntime
import WorkersTesting

/// `kv bulk put|get|delete|export` through the real `bearer-token` binary, in wrangler's bulk format.
@Suite("kv bulk through the bearer-token executable")
struct KVBulkCommandTests {
    typealias CLI = WorkerCommandTests

    static func write(_ text: String, to name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The records of a bulk file, by key.
    static func records(_ text: String) throws -> [String: JSONValue] {
        let array = try #require(try JSONValue(parsing: Data(text.utf8)).arrayValue)
        return Dictionary(uniqueKeysWithValues: array.map { ($0["key"]?.stringValue ?? "", $0) })
    }

    @Test("put then export round-trips text, base64 binary, metadata and expiration (TTL made absolute); get and delete follow wrangler")
    func roundTrip() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary.path), "build with swift build --build-tests")
        let directory = try CLI.project()
        defer { try? FileManager.default.removeItem(at: directory) }
        let now = Int(Date().timeIntervalSince1970)
        let file = try Self.write(
            """
            [
              {"key": "text", "value": "h\\u00e9llo \\"quoted\\" ]},", "metadata": {"v": 1, "tags": ["a"]}},
              {"key": "binary", "value": "AP8BAgM=", "base64": true},
              {"key": "absolute", "value": "a", "expiration": \(now + 7200)},
              {"key": "ttl", "value": "t", "expiration_ttl": 3600}
            ]
            """, to: "in.json", in: directory)
        let put = try await CLI.run(["kv", "bulk", "put", file, "--binding", "DATA"], in: directory)
        #expect(put.status == 0, "\(put.stderr)")
        #expect(put.stderr.contains("Wrote 4 records in 1 batch, skipped 0"), "\(put.stderr)")
        #expect(try await CLI.run(["kv", "key", "get", "text", "--binding", "DATA"], in: directory).stdout == "héllo \"quoted\" ]},")

        let export = try await CLI.run(["kv", "bulk", "export", "--binding", "DATA"], in: directory)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stderr.contains("Exported 4 records"))
        let records = try Self.records(export.stdout)
        #expect(records["text"] == ["key": "text", "value": "héllo \"quoted\" ]},", "metadata": ["v": 1, "tags": ["a"]]])
        #expect(records["binary"] == ["key": "binary", "value": "AP8BAgM=", "base64": true])
        #expect(records["absolute"] == ["key": "absolute", "value": "a", "expiration": .number(Double(now + 7200))])
        let ttlExpiration = try #require(records["ttl"]?["expiration"]?.numberValue)
        #expect((Double(now + 3600)...Double(now + 3700)).contains(ttlExpiration))

        // The export imports into a fresh namespace and exports the same again (to a 0600 file this time).
        let copy = try CLI.project()
        defer { try? FileManager.default.removeItem(at: copy) }
        let exported = try Self.write(export.stdout, to: "export.json", in: copy)
        #expect(try await CLI.run(["kv", "bulk", "put", exported, "--binding", "DATA"], in: copy).status == 0)
        let again = try await CLI.run(["kv", "bulk", "export", "--binding", "DATA", "--output", "again.json"], in: copy)
        #expect(again.status == 0, "\(again.stderr)")
        let againFile = copy.appendingPathComponent("again.json")
        #expect(try Self.records(String(contentsOf: againFile, encoding: .utf8)) == records)
        #expect(try FileManager.default.attributesOfItem(atPath: againFile.path)[.posixPermissions] as? Int == 0o600)

        // bulk get: {"KEY": {"value": TEXT or null}}, as wrangler's --local; keys as strings or {"name": ...}.
        let keys = try Self.write(#"["text", {"name": "absolute"}, "missing"]"#, to: "keys.json", in: directory)
        let get = try await CLI.run(["kv", "bulk", "get", keys, "--binding", "DATA"], in: directory)
        #expect(get.status == 0, "\(get.stderr)")
        #expect(try JSONValue(parsing: Data(get.stdout.utf8)) == [
            "text": ["value": "héllo \"quoted\" ]},"], "absolute": ["value": "a"], "missing": ["value": nil],
        ])
        let badKeys = try Self.write(#"["text", 7]"#, to: "bad-keys.json", in: directory)
        let badGet = try await CLI.run(["kv", "bulk", "get", badKeys, "--binding", "DATA"], in: directory)
        #expect(badGet.status != 0 && badGet.stderr.contains("index 1"), "\(badGet.stderr)")
        #expect(badGet.stdout.isEmpty)

        // bulk delete asks for confirmation; without a terminal it needs --force.
        let refused = try await CLI.run(["kv", "bulk", "delete", keys, "--binding", "DATA"], in: directory)
        #expect(refused.status != 0 && refused.stderr.contains("--force"))
        #expect(try await CLI.run(["kv", "key", "get", "text", "--binding", "DATA"], in: directory).status == 0)
        let delete = try await CLI.run(["kv", "bulk", "delete", keys, "--binding", "DATA", "--force"], in: directory)
        #expect(delete.status == 0, "\(delete.stderr)")
        let left = try Self.records(try await CLI.run(["kv", "bulk", "export", "--binding", "DATA"], in: directory).stdout)
        #expect(Set(left.keys) == ["binary", "ttl"])
    }

    /// A file of six records, the one at index 3 bad (`value` is a number), in batches of two.
    static let withBadRecord = """
        [{"key":"k0","value":"v"},{"key":"k1","value":"v"},{"key":"k2","value":"v"},
         {"key":"k3","value":7},{"key":"k4","value":"v"},{"key":"k5","value":"v"}]
        """

    func keys(in directory: URL) async throws -> Set<String> {
        let export = try await CLI.run(["kv", "bulk", "export", "--binding", "DATA"], in: directory)
        return Set(try Self.records(export.stdout).keys)
    }

    @Test("--on-error stop (the default) exits 1 naming the record, keeping only the whole batches before it")
    func stopOnBadRecord() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary.path), "build with swift build --build-tests")
        let directory = try CLI.project()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try Self.write(Self.withBadRecord, to: "in.json", in: directory)
        let put = try await CLI.run(["kv", "bulk", "put", file, "--binding", "DATA", "--batch-size", "2"], in: directory)
        #expect(put.status == 1)
        #expect(put.stderr.contains(#"Record 3: "value" is a number, not a string"#), "\(put.stderr)")
        #expect(put.stderr.contains("Stopped: record 3 is bad"))
        #expect(try await keys(in: directory) == ["k0", "k1"])
    }

    @Test("--on-error skip reports the bad record by index, stores nothing of it, and writes the rest")
    func skipBadRecord() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary.path), "build with swift build --build-tests")
        let directory = try CLI.project()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try Self.write(
            Self.withBadRecord.replacingOccurrences(of: #"{"key":"k5","value":"v"}"#, with: #"{"key":"k5","value":"!!","base64":true},{"key":"k6","value":"v"}"#),
            to: "in.json", in: directory)
        let put = try await CLI.run(["kv", "bulk", "put", file, "--binding", "DATA", "--batch-size", "2", "--on-error", "skip"], in: directory)
        #expect(put.status == 0, "\(put.stderr)")
        #expect(put.stderr.contains("Record 3: "))
        #expect(put.stderr.contains(#"Record 5: "value" is not valid base64"#))
        #expect(put.stderr.contains("Wrote 5 records in 3 batches, skipped 2"), "\(put.stderr)")
        #expect(try await keys(in: directory) == ["k0", "k1", "k2", "k4", "k6"])
        let dryRun = try await CLI.run(["kv", "bulk", "put", file, "--binding", "DATA", "--on-error", "skip", "--dry-run"], in: directory)
        #expect(dryRun.status == 0 && dryRun.stderr.contains("5 records valid (dry run: nothing written)"), "\(dryRun.stderr)")
    }

    @Test("a truncated file or one that is not an array is a clear error, exit 1", arguments: [
        (#"[{"key":"k0","value":"v"},{"key":"k1","val"#, "truncated"), (#"{"key":"k0","value":"v"}"#, "Expected a JSON array"),
        ("", "empty"),
    ])
    func malformedFile(text: String, message: String) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary.path), "build with swift build --build-tests")
        let directory = try CLI.project()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try Self.write(text, to: "in.json", in: directory)
        for mode in ["stop", "skip"] {
            let put = try await CLI.run(["kv", "bulk", "put", file, "--binding", "DATA", "--on-error", mode], in: directory)
            #expect(put.status == 1)
            #expect(put.stderr.contains(message), "\(put.stderr)")
        }
        #expect(try await keys(in: directory).isEmpty)
        let missing = try await CLI.run(["kv", "bulk", "put", "nope.json", "--binding", "DATA"], in: directory)
        #expect(missing.status != 0 && missing.stderr.contains("Cannot open nope.json"))
    }
}
