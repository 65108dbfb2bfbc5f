import Foundation
import WorkersKV
import WorkersRuntime

/// `kv bulk export`: writes every key of a namespace (all pages of `list`) as a wrangler bulk file, one record per
/// line, that `kv bulk put` (here or wrangler's) reads back: values as UTF-8 text when they are valid UTF-8, else
/// base64 with `"base64": true`; `expiration` (absolute) and `metadata` when the key has them.
///
/// It reads one list page (at most 1000 keys) and one value at a time, so memory does not grow with the
/// namespace. It is not a snapshot: a key written while it runs may or may not be in the file.
struct KVBulkExporter {
    /// One record as written.
    struct Record: Encodable {
        var key: String
        var value: String
        var expiration: Int?
        var metadata: JSONValue?
        var base64: Bool?

        init(key: String, entry: KVEntry) {
            self.key = key
            if let text = String(validating: entry.value, as: UTF8.self) {
                value = text
            } else {
                value = entry.value.base64EncodedString()
                base64 = true
            }
            expiration = entry.expiration
            metadata = entry.metadata
        }
    }

    struct Summary {
        var records = 0
        var valueBytes = 0
    }

    let namespace: any KVNamespace
    let prefix: String?

    /// Writes the namespace to `output`.
    func run(to output: KVBulkOutput, progress: KVBulkProgress) async throws -> Summary {
        var summary = Summary()
        var cursor: String?
        try output.write("[")
        repeat {
            let page = try await namespace.list(prefix: prefix, cursor: cursor)
            for key in page.keys {
                // Deleted or expired since the page was listed.
                guard let entry = try await namespace.getEntry(key.name) else { continue }
                try output.write(summary.records == 0 ? "\n" : ",\n")
                try output.write(try JSONWriter.encode(Record(key: key.name, entry: entry)))
                summary.records += 1
                summary.valueBytes += entry.value.count
            }
            progress.update(bytes: output.count, records: summary.records)
            cursor = page.listComplete ? nil : page.cursor
        } while cursor != nil
        try output.write(summary.records == 0 ? "]\n" : "\n]\n")
        try output.finish()
        return summary
    }
}
