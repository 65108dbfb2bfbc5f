import Foundation
import Testing
import WorkersRuntime
import WorkersTesting

@testable import WorkersKV

@Suite("FileKV")
struct FileKVTests {
    private let root = FileManager.default.temporaryDirectory
        .appendingPathComponent("filekv-tests-\(UUID().uuidString)", isDirectory: true)
    private var directory: URL { root.appendingPathComponent("kv/NS", isDirectory: true) }

    /// Keys that try to escape the directory, collide after naive encoding, or break file-name limits.
    static let hostileKeys: [String] = [
        "../x", "../../etc/passwd", "a/b", "/absolute", "a%2Fb", "%2F", "%2f", "%", "%%", "a\\b", "..\\x",
        "A", "a", "AbC", "abc", "é", "e\u{301}", ".hidden", ".tmp-1234", "~tilde", "x.", "x..", "a b", "\0nul",
        "line\nbreak", "tab\t", "\u{1F600}", String(repeating: "x", count: 512),
        String(repeating: "X", count: 512), String(repeating: "€", count: 170) + "ab",
        String(repeating: "/", count: 512), String(repeating: ".", count: 512),
    ]

    private func names(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
    }

    @Test("hostile keys stay inside the directory, never collide, and round-trip")
    func hostileKeysRoundTrip() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let kv = try FileKV(directory: directory)
        for (index, key) in Self.hostileKeys.enumerated() { try await kv.put(key, "value \(index)") }
        for (index, key) in Self.hostileKeys.enumerated() { #expect(try await kv.get(key) == "value \(index)") }

        let listed = try await kv.list().keys.map { Array($0.name.utf8) }
        let expected = Self.hostileKeys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(listed == expected)

        // One regular file per key, directly in the directory, and nothing anywhere else.
        let files = try names(in: directory)
        #expect(files.count == Self.hostileKeys.count)
        #expect(try names(in: root) == ["kv"])
        #expect(try names(in: root.appendingPathComponent("kv")) == ["NS"])
        for file in files {
            #expect(!file.hasPrefix("."))
            #expect(!file.contains("/"))
            #expect(file.utf8.count <= 255)
        }
        // Distinct even where the file system ignores case.
        #expect(Set(files.map { $0.lowercased() }).count == files.count)

        for key in Self.hostileKeys { try await kv.delete(key) }
        #expect(try names(in: directory).isEmpty)
    }

    @Test("file names are readable for common keys, canonical, and decode back to their key")
    func nameEncoding() {
        #expect(FileKV.fileName(for: "client:abc-123_x.json") == "client%3Aabc-123_x.json")
        #expect(FileKV.fileName(for: "Token") == "%54oken")
        #expect(FileKV.fileName(for: ".env") == "%2Eenv")
        #expect(FileKVName.decode("client%3Aabc") == "client:abc")
        // Other spellings of the same bytes are not names this encoding produces.
        #expect(FileKVName.decode("%61") == nil)
        #expect(FileKVName.decode("%3a") == nil)
        #expect(FileKVName.decode(".tmp-1") == nil)
        #expect(FileKVName.decode("README") == nil)
        for key in Self.hostileKeys {
            let name = FileKVName.encode(key)
            if FileKVName.isHashed(name) {
                #expect(key.utf8.count > 60)
            } else {
                #expect(FileKVName.decode(name).map { Array($0.utf8) } == Array(key.utf8))
            }
        }
    }

    @Test("each file holds a JSON header line with the key, then the raw value")
    func fileFormat() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let clock = TestClock()
        let kv = try FileKV(directory: directory, now: clock.nowFunction)
        try await kv.put("client:abc", "hello", expirationTtl: 3600, metadata: ["v": 1])
        let data = try Data(contentsOf: directory.appendingPathComponent("client%3Aabc"))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text == "{\"expiration\":\(clock.seconds + 3600),\"key\":\"client:abc\",\"metadata\":{\"v\":1},"
            + "\"valueLength\":5,\"version\":1}\nhello")
        let record = try FileKVRecord(parsing: data)
        #expect(record.header.key == "client:abc")

        // Truncated or padded files do not parse.
        #expect(throws: (any Error).self) { try FileKVRecord(parsing: data.dropLast()) }
        #expect(throws: (any Error).self) { try FileKVRecord(parsing: data + Data("x".utf8)) }
    }

    @Test("data survives reopening; stray and temporary files are ignored; a corrupt file is reported")
    func reopenAndStrayFiles() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try FileKV(directory: directory)
        try await first.put("keep", "me", metadata: ["m": true])
        first.close()
        try Data("not ours".utf8).write(to: directory.appendingPathComponent("README"))
        try Data("half a wri".utf8).write(to: directory.appendingPathComponent(".tmp-crashed"))

        let second = try FileKV(directory: directory)
        #expect(try await second.getWithMetadata("keep")?.value == "me")
        #expect(try await second.list().keys == [KVListKey(name: "keep", metadata: ["m": true])])

        try Data("{\"key\":\"keep\",\"valueLength\":99,\"version\":1}\nshort".utf8)
            .write(to: directory.appendingPathComponent("keep"))
        let error = await #expect(throws: KVStorageError.self) { _ = try await second.get("keep") }
        #expect(error?.message.contains("keep") == true)
    }

    @Test("get removes the expired file it meets; sweepExpired removes the rest and keeps live files")
    func expiryReclaimsFiles() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let clock = TestClock()
        let kv = try FileKV(directory: directory, now: clock.nowFunction)
        for index in 0..<20 { try await kv.put("short:\(index)", "v", expirationTtl: 60) }
        try await kv.put(String(repeating: "h", count: 400), "hashed name", expirationTtl: 60)
        try await kv.put("forever", "v")
        #expect(try names(in: directory).count == 22)

        clock.advance(by: 60)
        #expect(try await kv.get("short:0") == nil)
        #expect(try names(in: directory).count == 21)
        #expect(try await kv.sweepExpired() == 20)
        #expect(try names(in: directory) == ["forever"])
    }
}
