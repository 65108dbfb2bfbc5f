import Foundation
import Testing
import WorkersKV
import WorkersRuntime
import WorkersTesting

/// The behaviour every backend shares, written once and run against MemoryKV, SQLiteKV and FileKV.
@Suite("KV namespace behaviour")
struct KVNamespaceTests {
    private struct Profile: Codable, Equatable {
        var login: String
        var scopes: [String]
    }

    @Test("text, bytes and JSON values round-trip", arguments: KVBackendUnderTest.all)
    func roundTrips(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, _ in
            try await kv.put("text", "héllo wörld ✓")
            #expect(try await kv.get("text") == "héllo wörld ✓")

            let bytes = Data((0...255).map { UInt8($0) } + [0, 10, 13, 0xFF])
            try await kv.put("bytes", bytes)
            #expect(try await kv.get("bytes", as: Data.self) == bytes)

            try await kv.put("empty", Data())
            #expect(try await kv.get("empty", as: Data.self) == Data())

            let profile = Profile(login: "octocat", scopes: ["repo", "read:user"])
            try await kv.put("json", json: profile)
            #expect(try await kv.get("json", as: Profile.self) == profile)

            #expect(try await kv.get("missing") == nil)
            #expect(try await kv.getWithMetadata("missing") == nil)
        }
    }

    @Test("metadata is stored, returned by getWithMetadata and list, and replaced by the next put",
          arguments: KVBackendUnderTest.all)
    func metadata(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, _ in
            let metadata: JSONValue = ["owner": "octocat", "version": 3, "tags": ["a", "b"], "ok": true, "none": nil]
            try await kv.put("k", "v1", metadata: metadata)
            let got = try #require(try await kv.getWithMetadata("k"))
            #expect(got.value == "v1")
            #expect(got.metadata == metadata)
            #expect(try await kv.list().keys == [KVListKey(name: "k", metadata: metadata)])

            try await kv.put("null", "v", metadata: .null)
            #expect(try await kv.getWithMetadata("null")?.metadata == .null)

            try await kv.put("k", "v2")
            let replaced = try #require(try await kv.getWithMetadata("k"))
            #expect(replaced.value == "v2")
            #expect(replaced.metadata == nil)
        }
    }

    @Test("delete removes a key; deleting a missing key succeeds", arguments: KVBackendUnderTest.all)
    func delete(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, _ in
            try await kv.put("a", "1")
            try await kv.put("b", "2")
            try await kv.delete("a")
            #expect(try await kv.get("a") == nil)
            #expect(try await kv.get("b") == "2")
            try await kv.delete("a")
            try await kv.delete("never-existed")
            #expect(try await kv.list().keys.map(\.name) == ["b"])
        }
    }

    @Test("absolute expiration: kept until the second it names, then never returned", arguments: KVBackendUnderTest.all)
    func absoluteExpiration(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, clock in
            let expiration = clock.seconds + 120
            try await kv.put("session", "s", expiration: expiration, metadata: ["m": 1])
            try await kv.put("forever", "f")
            #expect(try await kv.getEntry("session")?.expiration == expiration)
            #expect(try await kv.list().keys.first { $0.name == "session" }?.expiration == expiration)

            clock.advance(by: 119.5)
            #expect(try await kv.get("session") == "s")

            clock.advance(by: 0.5)
            #expect(try await kv.get("session") == nil)
            #expect(try await kv.getWithMetadata("session") == nil)
            #expect(try await kv.list().keys.map(\.name) == ["forever"])
            #expect(try await kv.list(prefix: "sess").keys.isEmpty)
        }
    }

    @Test("TTL: expiration is now + ttl; expired entries vanish from get and list", arguments: KVBackendUnderTest.all)
    func ttlExpiration(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, clock in
            let start = clock.seconds
            try await kv.put("code", "c", expirationTtl: 600)
            #expect(try await kv.getEntry("code")?.expiration == start + 600)
            clock.advance(by: 599)
            #expect(try await kv.get("code") == "c")
            #expect(try await kv.list().keys.map(\.name) == ["code"])
            clock.advance(by: 1)
            #expect(try await kv.list().keys.isEmpty)
            #expect(try await kv.get("code") == nil)
        }
    }

    @Test("expiration boundary: 60 s is accepted, 59 s is rejected, for TTL and absolute times",
          arguments: KVBackendUnderTest.all)
    func expirationBoundary(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, clock in
            try await kv.put("ttl60", "v", expirationTtl: 60)
            try await kv.put("abs60", "v", expiration: clock.seconds + 60)
            #expect(try await kv.get("ttl60") == "v")
            #expect(try await kv.get("abs60") == "v")

            let ttl = await #expect(throws: KVError.self) { try await kv.put("ttl59", "v", expirationTtl: 59) }
            #expect(ttl?.status == 400)
            #expect(ttl?.message.contains("59") == true)
            let absolute = clock.seconds + 59
            let abs = await #expect(throws: KVError.self) { try await kv.put("abs59", "v", expiration: absolute) }
            #expect(abs?.status == 400)
            #expect(abs?.message.contains("\(absolute)") == true)
            #expect(try await kv.get("ttl59") == nil)
            #expect(try await kv.get("abs59") == nil)

            clock.advance(by: 60)
            #expect(try await kv.get("ttl60") == nil)
            #expect(try await kv.get("abs60") == nil)
        }
    }

    @Test("list is sorted by UTF-8 bytes, not by Swift's String order", arguments: KVBackendUnderTest.all)
    func listOrder(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, _ in
            // UTF-8 byte order: ASCII upper < lower < U+00E9 (C3 A9) < U+FFFD (EF BF BD) < U+1F600 (F0 9F 98 80).
            // Precomposed é and e + U+0301 are equal Swift strings but different keys.
            let expected = ["A", "Z", "a", "a/b", "a0", "e\u{301}", "z", "\u{E9}", "\u{FFFD}", "\u{1F600}"]
            for key in expected.reversed() { try await kv.put(key, "v:" + key) }
            let listed = try await kv.list().keys.map(\.name)
            #expect(listed.map { Array($0.utf8) } == expected.map { Array($0.utf8) })
            #expect(try await kv.get("\u{E9}") == "v:\u{E9}")
            #expect(try await kv.get("e\u{301}") == "v:e\u{301}")
        }
    }

    @Test("prefix selects exactly the keys that start with its bytes", arguments: KVBackendUnderTest.all)
    func prefix(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, _ in
            let keys = ["grant:alice:1", "grant:alice:2", "grant:alicia:1", "grant:bob:1", "grant", "token:alice:1",
                        "é:1", "é:2", "e\u{301}:1", "ê:1"]
            for key in keys { try await kv.put(key, "v") }
            #expect(try await kv.list(prefix: "grant:alice:").keys.map(\.name) == ["grant:alice:1", "grant:alice:2"])
            #expect(try await kv.list(prefix: "grant:").keys.count == 4)
            let accented = try await kv.list(prefix: "é").keys.map { Array($0.name.utf8) }
            #expect(accented == [Array("é:1".utf8), Array("é:2".utf8)])
            #expect(try await kv.list(prefix: "nothing").keys.isEmpty)
            #expect(try await kv.list(prefix: "nothing").listComplete)
            #expect(try await kv.list(prefix: "").keys.count == keys.count)
        }
    }
}
