import Foundation
import Testing
import WorkersTesting

/// `kv bulk put` reads a file of any size in constant memory: a ~100 MB file imported under `/usr/bin/time -v`
/// peaks under 100 MB of resident memory.
@Suite("kv bulk put memory")
struct KVBulkMemoryTests {
    typealias CLI = WorkerCommandTests

    /// Writes `count` records with values of `valueBytes` bytes; returns the file's size.
    static func generate(_ url: URL, count: Int, valueBytes: Int) throws -> Int {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        let filler = String(repeating: "x", count: valueBytes - 8)
        var chunk = "["
        var size = 0
        for index in 0..<count {
            chunk += index == 0 ? "\n" : ",\n"
            chunk += #"{"key":"key-\#(index)","value":"\#(String(format: "%08d", index))\#(filler)","metadata":{"n":\#(index)}}"#
            if chunk.utf8.count > 1 << 20 || index == count - 1 {
                if index == count - 1 { chunk += "\n]\n" }
                size += chunk.utf8.count
                try handle.write(contentsOf: Data(chunk.utf8))
                chunk = ""
            }
        }
        return size
    }

    @Test("a 100 MB bulk file imports with peak RSS under 100 MB")
    func hundredMegabytes() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary.path), "build with swift build --build-tests")
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/time"), "install Debian's time package")
        let directory = try CLI.project()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("big.json")
        let size = try Self.generate(file, count: 100_000, valueBytes: 1000)
        #expect(size > 100_000_000)

        let run = try await CLI.run(
            ["-v", CLI.binary.path, "kv", "bulk", "put", file.path, "--binding", "DATA"], in: directory,
            executable: URL(fileURLWithPath: "/usr/bin/time"))
        let stderr = run.stderr
        #expect(run.status == 0, "\(stderr)")
        #expect(stderr.contains("Wrote 100000 records in 100 batches, skipped 0"), "\(stderr)")
        let line = try #require(stderr.split(separator: "\n").first { $0.contains("Maximum resident set size") })
        let kilobytes = try #require(Int(line.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? ""))
        #expect(kilobytes < 100_000, "peak RSS \(kilobytes) kB")
        let last = try await CLI.run(["kv", "key", "get", "key-99999", "--binding", "DATA"], in: directory)
        #expect(last.stdout.hasPrefix("00099999xxx") && last.stdout.utf8.count == 1000)
    }
}
