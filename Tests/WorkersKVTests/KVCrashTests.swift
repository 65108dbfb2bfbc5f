import Foundation
import GRDB
import Testing
import WorkersRuntime

@testable import WorkersKV

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Kills (SIGKILL) a child process in the middle of a stream of puts, reopens the store and checks that every
/// acknowledged write is there and nothing is torn or corrupt.
///
/// The child is `KVCrashWriter` (built next to this test bundle): put n writes key `k<n % 50>` with a value and
/// metadata derived from n, then prints `ack <n>`. A SIGKILL exercises process crashes (the page cache survives);
/// it does not simulate power loss.
@Suite("KV crash safety", .serialized)
struct KVCrashTests {
    private static let keys = 50

    @Test("SIGKILL mid-write loses no acknowledged put and tears nothing", arguments: ["sqlite", "file"], [40, 95, 170])
    func killMidWrite(backend: String, killAfter: Int) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kv-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent(backend == "sqlite" ? "kv.sqlite" : "kv")

        let run = try await Self.runWriter(backend: backend, path: path, killAfter: killAfter)
        #expect(run.killedBySIGKILL, "the writer must die from our SIGKILL, not exit on its own")
        let acked = try #require(run.acks.last)
        #expect(run.acks == Array(0...acked), "acks arrive in order without gaps")
        #expect(acked + 1 >= killAfter)

        if backend == "sqlite" {
            let queue = try DatabaseQueue(path: path.path)
            let check = try await queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            try queue.close()
            #expect(check == ["ok"])
        } else {
            for name in try FileManager.default.contentsOfDirectory(atPath: path.path)
            where !name.hasPrefix(FileKVDirectory.temporaryPrefix) {
                let data = try Data(contentsOf: path.appendingPathComponent(name))
                let record = try FileKVRecord(parsing: data)
                #expect(FileKVName.decode(name) == record.header.key)
            }
        }

        let kv: any KVNamespace = backend == "sqlite" ? try SQLiteKV(path: path) : try FileKV(directory: path)
        defer { try? (kv as? SQLiteKV)?.close() }
        for slot in 0..<min(Self.keys, acked + 1) {
            // The last acknowledged put of this key, or the one put that was in flight when the child died.
            let lastAcked = acked - ((acked - slot) % Self.keys + Self.keys) % Self.keys
            let inFlight = acked + 1
            let entry = try #require(try await kv.getEntry("k\(slot)"), "k\(slot) lost")
            let n = Int(entry.text.prefix { $0 != ":" }) ?? -1
            #expect(n == lastAcked || (n == inFlight && inFlight % Self.keys == slot), "k\(slot) holds put \(n)")
            #expect(entry.value == Self.crashValue(n), "k\(slot) is torn")
            #expect(entry.metadata == .number(Double(n)), "k\(slot) metadata from another put")
        }
    }

    /// The same value KVCrashWriter writes for put `n`.
    static func crashValue(_ n: Int) -> Data {
        let header = Data("\(n):".utf8)
        let length = 16 * 1024 + (n * 7919) % (64 * 1024)
        return header + Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ n) })
    }

    private struct WriterRun: Sendable {
        var acks: [Int]
        var killedBySIGKILL: Bool
    }

    /// Starts the writer, SIGKILLs it once `killAfter` acks arrived, and returns every ack it printed before dying.
    private static func runWriter(backend: String, path: URL, killAfter: Int) async throws -> WriterRun {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("KVCrashWriter")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw KVStorageError("\(executable.path) is missing: build it with `swift build --build-tests`")
        }
        return try await withCheckedThrowingContinuation { continuation in
            // Blocking pipe reads: on a dispatch thread, not the cooperative pool.
            DispatchQueue.global().async {
                do {
                    let process = Process()
                    process.executableURL = executable
                    process.arguments = [backend, path.path]
                    let pipe = Pipe()
                    process.standardOutput = pipe
                    try process.run()
                    var acks: [Int] = []
                    var pending = Data()
                    var killed = false
                    let output = pipe.fileHandleForReading
                    while true {
                        let chunk = output.availableData
                        if chunk.isEmpty { break }
                        pending.append(chunk)
                        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                            let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                            pending.removeSubrange(pending.startIndex...newline)
                            if line.hasPrefix("ack "), let n = Int(line.dropFirst(4)) { acks.append(n) }
                        }
                        if !killed, acks.count >= killAfter {
                            kill(process.processIdentifier, SIGKILL)
                            killed = true
                        }
                    }
                    process.waitUntilExit()
                    let bySignal = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
                    continuation.resume(returning: WriterRun(acks: acks, killedBySIGKILL: killed && bySignal))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
