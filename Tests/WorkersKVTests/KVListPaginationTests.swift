import Foundation
import Testing
import WorkersKV
import WorkersRuntime
import WorkersTesting

/// Cursor pagination, run against every backend.
@Suite("KV list pagination")
struct KVListPaginationTests {
    @Test("2,500 keys paged with small limits: every key once, in order, complete only at the end",
          arguments: KVBackendUnderTest.all, [7, 100, 1000])
    func pagination(backend: KVBackendUnderTest, limit: Int) async throws {
        try await withNamespace(backend) { kv, _ in
            // Mixed lengths and a non-ASCII tail make byte order differ from numeric order.
            let keys = (0..<2500).map { "item:\($0)" + ($0 % 10 == 0 ? "é" : "") }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for chunk in stride(from: 0, to: keys.count, by: 250) {
                    group.addTask {
                        for key in keys[chunk..<min(chunk + 250, keys.count)] { try await kv.put(key, "v") }
                    }
                }
                try await group.waitForAll()
            }
            try await kv.put("other", "not in the prefix")

            var seen: [String] = []
            var cursor: String?
            var pages = 0
            while true {
                let page = try await kv.list(prefix: "item:", limit: limit, cursor: cursor)
                pages += 1
                #expect(page.keys.count <= limit)
                seen += page.keys.map(\.name)
                if page.listComplete {
                    #expect(page.cursor == nil)
                    break
                }
                #expect(page.keys.count == limit)
                guard let next = page.cursor else {
                    Issue.record("an incomplete page without a cursor")
                    break
                }
                cursor = next
            }
            let sorted = keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
            #expect(seen.map { Array($0.utf8) } == sorted)
            #expect(pages == (2500 + limit - 1) / limit)
        }
    }

    @Test("the default page is 1000 keys and says there is more", arguments: KVBackendUnderTest.all)
    func defaultLimit(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, _ in
            for index in 0..<1001 { try await kv.put("k\(index)", "") }
            let first = try await kv.list()
            #expect(first.keys.count == 1000)
            #expect(!first.listComplete)
            let second = try await kv.list(cursor: first.cursor)
            #expect(second.keys.count == 1)
            #expect(second.listComplete)
        }
    }

    @Test("a cursor resumes strictly after its key, even when that key was deleted meanwhile",
          arguments: KVBackendUnderTest.all)
    func cursorAfterDeletedKey(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, _ in
            for key in ["a", "b", "c", "d"] { try await kv.put(key, "v") }
            let first = try await kv.list(limit: 2)
            #expect(first.keys.map(\.name) == ["a", "b"])
            try await kv.delete("b")
            try await kv.put("bb", "v")
            let second = try await kv.list(limit: 2, cursor: first.cursor)
            #expect(second.keys.map(\.name) == ["bb", "c"])
        }
    }

    @Test("expired keys do not fill a page", arguments: KVBackendUnderTest.all)
    func expiredKeysSkipped(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, clock in
            for index in 0..<10 {
                try await kv.put("k\(index)", "v", expirationTtl: index.isMultiple(of: 2) ? 60 : nil)
            }
            clock.advance(by: 60)
            let page = try await kv.list(limit: 5)
            #expect(page.keys.map(\.name) == ["k1", "k3", "k5", "k7", "k9"])
            #expect(page.listComplete)
        }
    }
}
