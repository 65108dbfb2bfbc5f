import Foundation
import Testing
import WorkersKV

@testable import WorkersServer

@Suite struct KVBulkImporterTests {
    static func file(_ text: String) throws -> (KVBulkInputFile, URL) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bulk-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: url)
        return (try KVBulkInputFile(path: url.path, chunkSize: 16), url)
    }

    /// Records `0..<count` valid except `bad`, imported in batches of two into a fresh SQLite file.
    func importRecords(count: Int = 6, bad: Int?, onError: KVBulkImporter.OnError, trailer: String = "]") async throws
        -> (KVBulkImporter.Summary, [String], [String])
    {
        var elements = (0..<count).map { #"{"key":"k\#($0)","value":"v\#($0)"}"# }
        if let bad { elements[bad] = #"{"key":"k\#(bad)","value":7}"# }
        let (input, url) = try Self.file("[" + elements.joined(separator: ",") + trailer)
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("bulk-\(UUID().uuidString).sqlite")
        defer { try? FileManager.default.removeItem(at: url); try? FileManager.default.removeItem(at: database) }
        let kv = try SQLiteKV(path: database)
        defer { try? kv.close() }
        var options = KVBulkImporter.Options()
        options.batchSize = 2
        options.onError = onError
        var reports: [String] = []
        let summary = try await KVBulkImporter(namespace: kv, options: options, now: Date.init)
            .run(input, progress: KVBulkProgress(verb: "Imported", totalBytes: input.size, isTerminal: false)) { reports.append($0) }
        let keys = try await kv.list().keys.map(\.name)
        return (summary, keys, reports)
    }

    @Test("--on-error stop keeps the whole batches before the bad record and drops the one it would have joined")
    func stop() async throws {
        let (summary, keys, reports) = try await importRecords(bad: 3, onError: .stop)
        #expect(keys == ["k0", "k1"])
        #expect(summary.written == 2 && summary.batches == 1 && summary.skipped == 1)
        #expect(summary.stopped == "record 3 is bad (--on-error stop)")
        #expect(reports == [#"Record 3: "value" is a number, not a string"#])
    }

    @Test("--on-error skip leaves out only the bad record")
    func skip() async throws {
        let (summary, keys, reports) = try await importRecords(bad: 3, onError: .skip)
        #expect(keys == ["k0", "k1", "k2", "k4", "k5"])
        #expect(summary.written == 5 && summary.skipped == 1 && summary.stopped == nil)
        #expect(reports.count == 1)
    }

    @Test("a truncated file stops the import in either mode after the whole batches before the end")
    func truncated() async throws {
        for mode in KVBulkImporter.OnError.allCases {
            let (summary, keys, _) = try await importRecords(count: 5, bad: nil, onError: mode, trailer: #",{"key":"x""#)
            #expect(summary.stopped?.contains("truncated") == true)
            #expect(keys == ["k0", "k1", "k2", "k3"])
            #expect(summary.written == 4)
        }
    }
}
