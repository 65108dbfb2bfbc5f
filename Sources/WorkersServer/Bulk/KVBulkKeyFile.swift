import Foundation
import WorkersRuntime

/// The file `wrangler kv bulk get` and `kv bulk delete` take: a JSON array of key names, each a string or an
/// object with a string `name` (so `kv key list`'s output works as is), read in chunks.
struct KVBulkKeyFile {
    let path: String

    /// Longest element accepted: a 512-byte key escaped, or a `kv key list` entry with its metadata.
    static let maxElementBytes = 64 * 1024

    /// The key an element names.
    static func key(from bytes: [UInt8]) -> String? {
        switch try? JSONValue(parsing: Data(bytes)) {
        case .string(let key)?: key
        case .object(let object)?: object["name"]?.stringValue
        default: nil
        }
    }

    /// Calls `body` with each key in order.
    /// - Throws: ``CommandError`` naming every bad element (as wrangler, after checking the whole file) or the
    ///   structure error; what `body` throws.
    func forEachKey(_ body: (String) async throws -> Void) async throws {
        let file = try KVBulkInputFile(path: path)
        var scanner = KVBulkArrayScanner(maxElementBytes: Self.maxElementBytes)
        var elements: [KVBulkArrayScanner.Element] = []
        do {
            while try file.readChunk({ chunk in try scanner.feed(chunk, into: &elements) }) {
                for element in elements {
                    guard case .complete(_, let bytes) = element, let key = Self.key(from: bytes) else {
                        throw CommandError(
                            "Unexpected JSON input from \"\(path)\": the item at index \(elementIndex(element)) is not a string "
                                + "or an object with a \"name\" string"
                        )
                    }
                    try await body(key)
                }
                elements.removeAll(keepingCapacity: true)
            }
            try scanner.finish()
        } catch let error as KVBulkArrayScanner.StructureError {
            throw CommandError("Unexpected JSON input from \"\(path)\": \(error)")
        }
    }

    /// Checks the whole file before anything is done with it.
    /// - Throws: ``CommandError`` for the first bad element or the structure error.
    func validate() async throws -> Int {
        var count = 0
        try await forEachKey { _ in count += 1 }
        return count
    }

    private func elementIndex(_ element: KVBulkArrayScanner.Element) -> Int {
        switch element {
        case .complete(let index, _), .oversized(let index, _): index
        }
    }
}
