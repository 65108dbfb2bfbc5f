import Foundation
import Testing

@testable import WorkersKV

#if canImport(Glibc)
import Glibc
#endif

/// A FileKV directory belongs to one process: a second one fails to open it, saying which process holds it.
@Suite("FileKV directory claim", .serialized)
struct FileKVLockTests {
    @Test("while another process writes a FileKV directory, opening it fails naming that process; afterwards it opens")
    func secondProcessIsRefused() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("filekv-lock-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("KVCrashWriter")
        writer.arguments = ["file", directory.path]
        let pipe = Pipe()
        writer.standardOutput = pipe
        try writer.run()
        defer {
            kill(writer.processIdentifier, SIGKILL)
            writer.waitUntilExit()
        }
        // The writer holds the directory once it acknowledged a put.
        let first = await Task.detached { pipe.fileHandleForReading.availableData }.value
        #expect(String(decoding: first, as: UTF8.self).hasPrefix("ack "))

        let error = #expect(throws: KVStorageError.self) { try FileKV(directory: directory) }
        #expect(error?.message.contains("pid \(writer.processIdentifier)") == true, "\(error?.message ?? "")")

        kill(writer.processIdentifier, SIGKILL)
        writer.waitUntilExit()
        let kv = try FileKV(directory: directory)
        #expect(try await kv.get("k0") != nil)
        kv.close()
    }

    @Test("FileKVs of one process share the directory; the claim ends with the last close, and writes after close throw")
    func oneProcessShares() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("filekv-lock-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try FileKV(directory: directory)
        let second = try FileKV(directory: directory)
        try await first.put("a", "1")
        #expect(try await second.get("a") == "1")
        first.close()
        try await second.put("b", "2")
        await #expect(throws: KVStorageError.self) { try await first.put("c", "3") }
        second.close()
        let third = try FileKV(directory: directory)
        #expect(try await third.get("b") == "2")
        third.close()
    }
}
