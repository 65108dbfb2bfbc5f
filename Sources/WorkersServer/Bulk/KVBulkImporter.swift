import ArgumentParser
import Foundation
import WorkersKV

/// `kv bulk put`: streams a wrangler bulk file into a namespace in batches, each one atomic commit
/// (``WorkersKV/KVAtomicNamespace/commit(_:ifUnchanged:)``: one SQLite or PostgreSQL transaction).
///
/// A bad record (malformed element, wrong types, bad base64, past a KV limit) is reported with its 0-based index.
/// With ``OnError/skip`` it is left out and the import goes on; with ``OnError/stop`` (the default) the import
/// stops: the batches committed before it stay, the batch it would have joined is dropped whole. A file that is not
/// one well-formed array (truncated, text after it) stops the import the same way in either mode.
struct KVBulkImporter {
    /// What to do with a bad record.
    enum OnError: String, CaseIterable, ExpressibleByArgument {
        case stop, skip
    }

    struct Options {
        /// Records per batch (one commit).
        var batchSize = 1000
        /// Value bytes after which a batch is committed early.
        var batchBytes = 16 << 20
        var onError = OnError.stop
        /// Check every record, write nothing.
        var dryRun = false
        /// Longest element accepted: a 25 MiB value escaped or in base64, with room for key and metadata.
        var maxRecordBytes = 2 * KVLimits.maxValueBytes + (1 << 20)
        /// Bad records reported one by one; the rest are only counted.
        var maxReports = 100
    }

    struct Summary {
        var written = 0
        var skipped = 0
        var batches = 0
        var bytesRead = 0
        /// The bad record that stopped the import, or the structure error.
        var stopped: String?
    }

    let namespace: any KVAtomicNamespace
    let options: Options
    let now: @Sendable () -> Date

    /// Imports `file`; reports go to `report` (one line each), progress to `progress`.
    func run(_ file: KVBulkInputFile, progress: KVBulkProgress, report: (String) -> Void) async throws -> Summary {
        var summary = Summary()
        var scanner = KVBulkArrayScanner(maxElementBytes: options.maxRecordBytes)
        var batch: [KVChange] = []
        var batchBytes = 0
        var reports = 0
        var warnings = 0
        var elements: [KVBulkArrayScanner.Element] = []

        func bad(_ index: Int, _ reason: String) {
            if reports < options.maxReports { report("Record \(index): \(KVBulkText.escaped(reason))") }
            if reports == options.maxReports { report("(further bad records are counted, not listed)") }
            reports += 1
        }
        func commit() async throws {
            guard !batch.isEmpty else { return }
            if !options.dryRun { _ = try await namespace.commit(batch, ifUnchanged: [:]) }
            summary.written += batch.count
            summary.batches += 1
            batch.removeAll(keepingCapacity: true)
            batchBytes = 0
        }

        do {
            while try file.readChunk({ chunk in try scanner.feed(chunk, into: &elements) }) {
                for element in elements {
                    switch Self.record(element, now: now(), maxRecordBytes: options.maxRecordBytes) {
                    case .success(let (index, record)):
                        if !record.unknownProperties.isEmpty {
                            if warnings < options.maxReports {
                                let names = KVBulkText.escaped(record.unknownProperties.joined(separator: ", "))
                                report("Record \(index): ignored unexpected properties \(names)")
                            }
                            warnings += 1
                        }
                        batch.append(.put(key: record.key, value: record.value, options: record.options))
                        batchBytes += record.value.count
                        if batch.count >= options.batchSize || batchBytes >= options.batchBytes { try await commit() }
                    case .failure(let failure):
                        bad(failure.index, failure.reason)
                        summary.skipped += 1
                        if options.onError == .stop {
                            summary.stopped = "record \(failure.index) is bad (--on-error stop)"
                            summary.bytesRead = scanner.offset
                            return summary
                        }
                    }
                }
                elements.removeAll(keepingCapacity: true)
                summary.bytesRead = scanner.offset
                progress.update(bytes: scanner.offset, records: summary.written + batch.count)
            }
            try scanner.finish()
        } catch let error as KVBulkArrayScanner.StructureError {
            summary.stopped = error.description
            summary.bytesRead = scanner.offset
            return summary
        }
        try await commit()
        return summary
    }

    struct BadRecord: Error {
        let index: Int
        let reason: String
    }

    /// The checked record of one element.
    static func record(_ element: KVBulkArrayScanner.Element, now: Date, maxRecordBytes: Int) -> Result<(Int, KVBulkRecord), BadRecord> {
        switch element {
        case .oversized(let index, let count):
            return .failure(BadRecord(index: index, reason: "\(count) bytes of JSON, more than the \(maxRecordBytes) a record may take"))
        case .complete(let index, let bytes):
            do {
                return .success((index, try KVBulkRecord(json: bytes, now: now)))
            } catch {
                return .failure(BadRecord(index: index, reason: error.reason))
            }
        }
    }
}
