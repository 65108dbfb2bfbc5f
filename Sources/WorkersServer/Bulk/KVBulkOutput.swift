import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a bulk command writes: standard output, or a file created owner-only (`0600`: a namespace's export holds
/// its data) under a temporary name and renamed into place once complete, so a failed export never leaves a
/// truncated file that looks whole. Writes are buffered.
final class KVBulkOutput {
    private let descriptor: Int32
    private let temporaryPath: String?
    private let finalPath: String?
    private var buffer: [UInt8] = []
    private var finished = false
    /// Bytes written so far.
    private(set) var count = 0

    /// Standard output.
    init() {
        descriptor = STDOUT_FILENO
        temporaryPath = nil
        finalPath = nil
    }

    /// A new file at `path`.
    /// - Throws: ``CommandError`` when it cannot be created.
    init(path: String) throws {
        let temporary = path + ".partial-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CommandError("Cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        self.descriptor = descriptor
        temporaryPath = temporary
        finalPath = path
    }

    deinit {
        guard let temporaryPath else { return }
        close(descriptor)
        if !finished { unlink(temporaryPath) }
    }

    /// Appends `bytes`.
    func write(_ bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Appends UTF-8 text.
    func write(_ text: String) throws { try write(text.utf8) }

    /// Writes what is buffered and, for a file, makes it durable and moves it into place.
    func finish() throws {
        try flush()
        guard let temporaryPath, let finalPath else { return }
        guard fsync(descriptor) == 0, rename(temporaryPath, finalPath) == 0 else {
            throw CommandError("Cannot write \(finalPath): \(String(cString: strerror(errno)))")
        }
        finished = true
    }

    private func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw CommandError("Cannot write the output: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        count += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}

/// `write(2)`, under a name apart from `KVBulkOutput.write`.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
