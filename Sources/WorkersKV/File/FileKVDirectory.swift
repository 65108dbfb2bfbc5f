import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
private let systemWrite = Glibc.write
#elseif canImport(Musl)
import Musl
private let systemRead = Musl.read
private let systemWrite = Musl.write
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
private let systemWrite = Darwin.write
#endif

/// The blocking file operations of ``FileKV`` on one directory. Every method blocks; call them off the event loop.
final class FileKVDirectory: Sendable {
    /// The directory.
    let path: String
    /// Serialises renames and unlinks, so "delete if still expired" cannot remove a file a concurrent put of this
    /// process just renamed into place.
    private let mutation = Mutex(())
    /// Temporary files start with this; encoded names never start with `.`.
    static let temporaryPrefix = ".tmp-"

    init(path: String) throws {
        self.path = path
        // Missing directories are created 0700; the namespace's own directory is restricted to its owner.
        try PrivateFiles.createDirectories(path)
        try PrivateFiles.restrict(path)
    }

    /// The whole content of `name`, or `nil` when it does not exist.
    func read(_ name: String) throws -> Data? {
        let fd = open(path + "/" + name, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw failure("open", name)
        }
        defer { close(fd) }
        var data = Data()
        var info = stat()
        if fstat(fd, &info) == 0 { data.reserveCapacity(Int(info.st_size)) }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("read", name)
            }
            if count == 0 { return data }
            data.append(contentsOf: buffer[..<count])
        }
    }

    /// The header of `name`, read without its value, or `nil` when the file does not exist.
    func readHeader(_ name: String) throws -> FileKVRecord.Header? {
        let fd = open(path + "/" + name, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw failure("open", name)
        }
        defer { close(fd) }
        var line = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while line.count < 64 * 1024 {
            let count = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("read", name)
            }
            if count == 0 { break }
            if let newline = buffer[..<count].firstIndex(of: UInt8(ascii: "\n")) {
                line.append(contentsOf: buffer[..<newline])
                return try parseHeader(line, name)
            }
            line.append(contentsOf: buffer[..<count])
        }
        throw KVStorageError("\(path)/\(name) is not a KV record: no header line")
    }

    /// Replaces `name` with `data` atomically: a temporary file is written and fsynced, renamed over `name`, and
    /// the directory is fsynced, so after a crash `name` holds the old or the new content, never a mix.
    func write(_ name: String, _ data: Data) throws {
        let temporary = Self.temporaryPrefix + UUID().uuidString
        let temporaryPath = path + "/" + temporary
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, PrivateFiles.fileMode)
        if fd < 0 { throw failure("create", temporary) }
        do {
            try data.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = systemWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw failure("write", temporary)
                    }
                    offset += written
                }
            }
            if fsync(fd) != 0 { throw failure("fsync", temporary) }
        } catch {
            close(fd)
            unlink(temporaryPath)
            throw error
        }
        close(fd)
        let renamed = mutation.withLock { _ in rename(temporaryPath, path + "/" + name) == 0 }
        if !renamed {
            let error = failure("rename \(temporary) ->", name)
            unlink(temporaryPath)
            throw error
        }
        try syncDirectory()
    }

    /// Deletes `name`; a missing file is not an error.
    func remove(_ name: String) throws {
        let removed = mutation.withLock { _ in unlink(path + "/" + name) == 0 || errno == ENOENT }
        if !removed { throw failure("unlink", name) }
        try syncDirectory()
    }

    /// Deletes `name` if its header says it expired by `nowSeconds`; returns whether it did.
    func removeIfExpired(_ name: String, nowSeconds: Int) throws -> Bool {
        let removed = try mutation.withLock { _ -> Bool in
            guard let header = try readHeader(name), let expiration = header.expiration, expiration <= nowSeconds
            else { return false }
            return unlink(path + "/" + name) == 0
        }
        if removed { try syncDirectory() }
        return removed
    }

    /// Every file name in the directory, temporary files included.
    func names() throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw KVStorageError("cannot list \(path): \(error)")
        }
    }

    /// Deletes temporary files last modified before `cutoff` (left by a process that died mid-write).
    func removeStaleTemporaries(olderThan cutoff: Date) throws {
        for name in try names() where name.hasPrefix(Self.temporaryPrefix) {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name)
            if let modified = attributes?[.modificationDate] as? Date, modified < cutoff {
                unlink(path + "/" + name)
            }
        }
    }

    /// Makes renames and unlinks in the directory durable.
    private func syncDirectory() throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw failure("open directory", ".") }
        defer { close(fd) }
        if fsync(fd) != 0 { throw failure("fsync directory", ".") }
    }

    private func parseHeader(_ line: Data, _ name: String) throws -> FileKVRecord.Header {
        do {
            return try FileKVRecord.parseHeader(line)
        } catch {
            throw KVStorageError("\(path)/\(name) is not a KV record: \(error)")
        }
    }

    private func failure(_ operation: String, _ name: String) -> KVStorageError {
        let code = errno
        return KVStorageError("\(operation) \(name) in \(path): \(String(cString: strerror(code)))")
    }
}
