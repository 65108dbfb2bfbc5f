import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file read in fixed-size chunks with `read(2)`, so a bulk file of any size costs one chunk of memory.
final class KVBulkInputFile {
    /// The file's size when it is a regular file (not a pipe).
    let size: Int?
    private let descriptor: Int32
    private var buffer: [UInt8]

    /// Opens `path` for reading.
    /// - Throws: ``CommandError`` when it cannot be opened or is a directory.
    init(path: String, chunkSize: Int = 1 << 20) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CommandError("Cannot open \(path): \(String(cString: strerror(errno)))")
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let type = attributes?[.type] as? FileAttributeType
        guard type != .typeDirectory else {
            close(descriptor)
            throw CommandError("\(path) is a directory, not a bulk file")
        }
        self.descriptor = descriptor
        size = type == .typeRegular ? (attributes?[.size] as? NSNumber)?.intValue : nil
        buffer = [UInt8](repeating: 0, count: chunkSize)
    }

    deinit { close(descriptor) }

    /// Reads the next chunk and calls `body` with it.
    /// - Returns: `false` at the end of the file (without calling `body`).
    /// - Throws: ``CommandError`` for a read error; what `body` throws.
    func readChunk(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Bool {
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw CommandError("Cannot read the bulk file: \(String(cString: strerror(errno)))")
            }
            if count == 0 { return false }
            try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<count])) }
            return true
        }
    }
}
