import Foundation
import Testing
import WorkersKV
import WorkersRuntime

/// Many tasks writing and reading at once, run against every backend.
@Suite("KV concurrency")
struct KVConcurrencyTests {
    @Test("concurrent writers of distinct keys lose no update; readers see only whole values",
          arguments: KVBackendUnderTest.all)
    func distinctKeys(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, _ in
            let writers = 32
            let rounds = 10
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for round in 0..<rounds {
                            try await kv.put("w\(writer):r\(round)", Self.value(writer: writer, round: round))
                        }
                    }
                    group.addTask {
                        // A reader racing the writer sees nothing or a complete value, never a partial one.
                        for round in 0..<rounds {
                            if let seen = try await kv.get("w\(writer):r\(round)") {
                                #expect(seen == Self.value(writer: writer, round: round))
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            for writer in 0..<writers {
                for round in 0..<rounds {
                    #expect(try await kv.get("w\(writer):r\(round)") == Self.value(writer: writer, round: round))
                }
            }
            #expect(try await allKeys(of: kv, limit: 1000).count == writers * rounds)
        }
    }

    @Test("concurrent writers of one key: readers see whole values only, and the last write wins",
          arguments: KVBackendUnderTest.all)
    func oneKey(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, _ in
            let writers = 24
            let written = Set((0..<writers).map { Self.value(writer: $0, round: 0) })
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        try await kv.put("shared", Self.value(writer: writer, round: 0), metadata: ["writer": .number(Double(writer))])
                    }
                    group.addTask {
                        if let seen = try await kv.getWithMetadata("shared") {
                            #expect(written.contains(seen.value))
                            // Value and metadata come from the same put.
                            #expect(seen.metadata == ["writer": .number(Double(Self.writer(of: seen.value)))])
                        }
                    }
                }
                try await group.waitForAll()
            }
            let final = try #require(try await kv.getWithMetadata("shared"))
            #expect(written.contains(final.value))
            #expect(final.metadata == ["writer": .number(Double(Self.writer(of: final.value)))])

            // Once the concurrent writes are over, a later put replaces whatever won.
            try await kv.put("shared", "last")
            #expect(try await kv.get("shared") == "last")
            #expect(try await kv.list().keys.map(\.name) == ["shared"])
        }
    }

    /// A value large enough that a torn write would show, that names its writer.
    private static func value(writer: Int, round: Int) -> String {
        "\(writer)|" + String(repeating: "w\(writer)r\(round);", count: 2000)
    }

    private static func writer(of value: String) -> Int {
        Int(value.prefix { $0 != "|" }) ?? -1
    }
}
