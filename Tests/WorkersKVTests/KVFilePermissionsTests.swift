import Foundation
import Testing
import WorkersRuntime

@testable import WorkersKV

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// KV state (grant metadata, pending OAuth `state`) is for the server's user only: 0700 directories and 0600 files
/// even under a permissive umask. The umask is process-wide, so these tests run one at a time.
@Suite("KV file permissions", .serialized)
struct KVFilePermissionsTests {
    /// The permission bits of `path`.
    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o777
    }

    /// Runs `body` in a fresh directory under umask 022 (what most systems default to), restoring both afterwards.
    static func withPermissiveUmask(_ body: (URL) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kv-modes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let previous = umask(0o022)
        defer {
            umask(previous)
            try? FileManager.default.removeItem(at: directory)
        }
        try await body(directory)
    }

    @Test("SQLite: .wrangler/state and kv are 0700; the database, -wal and -shm are 0600")
    func sqliteModes() async throws {
        try await Self.withPermissiveUmask { project in
            let state = project.appendingPathComponent(".wrangler/state")
            let kv = try KVBackend.sqlite.open(binding: "OAUTH_KV", storageDirectory: state)
            try await kv.put("grant:1", "metadata")
            let database = state.appendingPathComponent("kv/OAUTH_KV.sqlite").path
            for directory in [".wrangler", ".wrangler/state", ".wrangler/state/kv"] {
                #expect(Self.mode(project.appendingPathComponent(directory).path) == 0o700, "\(directory)")
            }
            #expect(Self.mode(database) == 0o600)
            #expect(Self.mode(database + "-wal") == 0o600)
            #expect(Self.mode(database + "-shm") == 0o600)
            try (kv as? SQLiteKV)?.close()
        }
    }

    @Test("SQLite: an existing world-readable database (and its -wal/-shm) is restricted to its owner on open")
    func sqliteTightensExisting() async throws {
        try await Self.withPermissiveUmask { project in
            let path = project.appendingPathComponent("OAUTH_KV.sqlite")
            let first = try SQLiteKV(path: path)
            try await first.put("k", "v")
            try first.close()
            for file in [path.path, path.path + "-wal", path.path + "-shm"] where Self.mode(file) != nil {
                chmod(file, 0o644)
            }
            let reopened = try SQLiteKV(path: path)
            defer { try? reopened.close() }
            #expect(try await reopened.get("k") == "v")
            #expect(Self.mode(path.path) == 0o600)
            for file in [path.path + "-wal", path.path + "-shm"] {
                #expect(Self.mode(file).map { $0 & 0o077 } ?? 0 == 0, "\(file)")
            }
        }
    }

    @Test("FileKV: directories are 0700 and record files 0600; an existing namespace directory is restricted")
    func fileModes() async throws {
        try await Self.withPermissiveUmask { project in
            let state = project.appendingPathComponent(".wrangler/state")
            let kv = try KVBackend.file.open(binding: "DATA", storageDirectory: state)
            try await kv.put("client:abc", "secret")
            let directory = state.appendingPathComponent("kv/DATA").path
            for path in [".wrangler", ".wrangler/state", ".wrangler/state/kv", ".wrangler/state/kv/DATA"] {
                #expect(Self.mode(project.appendingPathComponent(path).path) == 0o700, "\(path)")
            }
            let files = try FileManager.default.contentsOfDirectory(atPath: directory)
            #expect(!files.isEmpty)
            for file in files { #expect(Self.mode(directory + "/" + file) == 0o600, "\(file)") }

            chmod(directory, 0o755)
            _ = try KVBackend.file.open(binding: "DATA", storageDirectory: state)
            #expect(Self.mode(directory) == 0o700)
        }
    }
}
