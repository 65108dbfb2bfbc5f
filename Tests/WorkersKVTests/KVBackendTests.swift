import Foundation
import Testing
import WorkersKV

@Suite("KVBackend")
struct KVBackendTests {
    private let state = URL(fileURLWithPath: "/srv/app/.wrangler/state", isDirectory: true)

    @Test("default locations: kv/<binding>.sqlite and kv/<binding>/, or the namespace id when there is one")
    func defaultLocations() throws {
        #expect(try KVBackend.sqlite.defaultLocation(binding: "OAUTH_KV", id: nil, storageDirectory: state).path
            == "/srv/app/.wrangler/state/kv/OAUTH_KV.sqlite")
        #expect(try KVBackend.file.defaultLocation(binding: "OAUTH_KV", id: nil, storageDirectory: state).path
            == "/srv/app/.wrangler/state/kv/OAUTH_KV")
        #expect(try KVBackend.sqlite.defaultLocation(binding: "OAUTH_KV", id: "0f2ac74b", storageDirectory: state).path
            == "/srv/app/.wrangler/state/kv/0f2ac74b.sqlite")
        #expect(KVBackend.default == .sqlite)
        #expect(KVBackend(rawValue: "file") == .file)
    }

    @Test("names that would leave the kv directory are refused")
    func hostileNames() {
        for name in ["", ".", "..", "../x", "a/b", "nul\0"] {
            #expect(throws: KVError.self) {
                _ = try KVBackend.sqlite.defaultLocation(binding: name, id: nil, storageDirectory: state)
            }
        }
    }

    @Test("open returns a working namespace of each kind, at the default location or an explicit path")
    func open() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kvbackend-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let sqlite = try KVBackend.sqlite.open(binding: "A", storageDirectory: root)
        try await sqlite.put("k", "sqlite")
        #expect(sqlite is SQLiteKV)
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("kv/A.sqlite").path))
        try (sqlite as? SQLiteKV)?.close()

        let file = try KVBackend.file.open(binding: "B", storageDirectory: root)
        try await file.put("k", "file")
        #expect(file is FileKV)
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("kv/B/k").path))

        let explicit = root.appendingPathComponent("elsewhere/custom.db")
        let custom = try KVBackend.sqlite.open(binding: "A", at: explicit, storageDirectory: root)
        #expect(try await custom.get("k") == nil)
        #expect(FileManager.default.fileExists(atPath: explicit.path))
        try (custom as? SQLiteKV)?.close()

        #expect(try KVBackend.memory.open(binding: "C", storageDirectory: root) is MemoryKV)
    }
}
