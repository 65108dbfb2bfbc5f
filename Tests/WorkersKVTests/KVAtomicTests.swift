import Foundation
import Testing
import WorkersKV
import WorkersRuntime
import WorkersTesting

/// ``KVAtomicNamespace`` behaviour, written once and run against every backend.
@Suite("KV atomic commits")
struct KVAtomicTests {
    static func atomic(_ kv: any KVNamespace) throws -> any KVAtomicNamespace {
        try #require(kv as? any KVAtomicNamespace, "\(type(of: kv)) is not atomic")
    }

    @Test("a commit applies puts, deletes and prefix deletes together", arguments: KVBackendUnderTest.all)
    func appliesEverything(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, _ in
            let atomic = try Self.atomic(kv)
            for key in ["token:a:g:1", "token:a:g:2", "token:a:h:1", "grant:a:g"] { try await kv.put(key, "x") }
            let committed = try await atomic.commit(
                [
                    .deletePrefix("token:a:g:"), .delete(key: "grant:a:g"),
                    .put(key: "grant:a:new", value: Data("v".utf8), options: KVPutOptions(metadata: ["m": 1])),
                ],
                ifUnchanged: [:]
            )
            #expect(committed)
            #expect(try await allKeys(of: kv, limit: 100) == ["grant:a:new", "token:a:h:1"])
            #expect(try await kv.getWithMetadata("grant:a:new")?.metadata == ["m": 1])
        }
    }

    @Test("a commit happens only when every expected value is still there, byte for byte", arguments: KVBackendUnderTest.all)
    func conditions(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, clock in
            let atomic = try Self.atomic(kv)
            try await kv.put("grant", "v1")
            let write: [KVChange] = [.put(key: "grant", value: Data("v2".utf8), options: KVPutOptions())]
            #expect(try await !atomic.commit(write, ifUnchanged: ["grant": Data("v0".utf8)]), "other bytes")
            #expect(try await !atomic.commit(write, ifUnchanged: ["grant": nil]), "present, expected absent")
            #expect(try await !atomic.commit(write, ifUnchanged: ["grant": Data("v1".utf8), "other": Data("x".utf8)]))
            #expect(try await kv.get("grant") == "v1", "a refused commit changes nothing")
            #expect(try await atomic.commit(write, ifUnchanged: ["grant": Data("v1".utf8), "other": nil]))
            #expect(try await kv.get("grant") == "v2")

            try await kv.put("expiring", "soon", expirationTtl: 60)
            clock.advance(by: 61)
            #expect(try await atomic.commit([.delete(key: "grant")], ifUnchanged: ["expiring": nil]), "expired counts as absent")
            #expect(try await kv.get("grant") == nil)
        }
    }

    @Test("a change past a limit is refused and nothing of the commit is applied", arguments: KVBackendUnderTest.all)
    func limits(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, _ in
            let atomic = try Self.atomic(kv)
            await #expect(throws: KVError.self) {
                try await atomic.commit(
                    [
                        .put(key: "fine", value: Data("x".utf8), options: KVPutOptions()),
                        .put(key: String(repeating: "k", count: 513), value: Data(), options: KVPutOptions()),
                    ],
                    ifUnchanged: [:]
                )
            }
            await #expect(throws: KVError.self) {
                try await atomic.commit([.put(key: "ttl", value: Data(), options: KVPutOptions(expirationTtl: 10))], ifUnchanged: [:])
            }
            await #expect(throws: KVError.self) { try await atomic.commit([.deletePrefix("")], ifUnchanged: [:]) }
            #expect(try await kv.get("fine") == nil)
        }
    }

    @Test("read-modify-write through conditional commits loses no update under concurrency", arguments: KVBackendUnderTest.all)
    func noLostUpdates(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, _ in
            let atomic = try Self.atomic(kv)
            try await kv.put("counter", "0")
            let writers = 16
            let increments = 10
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<writers {
                    group.addTask {
                        for _ in 0..<increments {
                            while true {
                                let current = try await kv.get("counter", as: Data.self)
                                let next = Int(String(decoding: current ?? Data(), as: UTF8.self))! + 1
                                let change = KVChange.put(key: "counter", value: Data(String(next).utf8), options: KVPutOptions())
                                if try await atomic.commit([change], ifUnchanged: ["counter": current]) { break }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await kv.get("counter") == String(writers * increments))
        }
    }
}
