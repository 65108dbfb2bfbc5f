import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The exclusive claim of one process on a ``FileKV`` directory, and the lock its writers take within the process.
///
/// FileKV's atomic commits span several files, which no file-system operation makes atomic across processes. So a
/// directory belongs to one process: `flock(LOCK_EX)` on the directory itself (no lock file: the directory holds
/// nothing but records) is taken when the first ``FileKV`` of the process opens it and released when the last one
/// closes (or the process dies: the kernel drops the lock). A second process fails to open the directory with an
/// error naming the holder (its pid, from `/proc/locks`). Inside the process, every write (put, delete, commit) runs
/// under ``serialized(_:)``.
final class FileKVLock: Sendable {
    /// The directory.
    let path: String
    private let descriptor: Int32
    private let writers = Mutex(())
    private static let held = Mutex<[String: (lock: FileKVLock, users: Int)]>([:])

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Claims `directory` for this process (shared with the other FileKVs of the process on the same directory).
    /// - Throws: ``KVStorageError`` naming the process that holds it, or why the lock file cannot be used.
    static func acquire(directory: String) throws -> FileKVLock {
        let path = URL(fileURLWithPath: directory).standardizedFileURL.path
        return try held.withLock { held in
            if let entry = held[path] {
                held[path] = (entry.lock, entry.users + 1)
                return entry.lock
            }
            let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { throw KVStorageError("cannot open \(path) to lock it: \(String(cString: strerror(errno)))") }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let holder = holderPID(of: fd).map { "pid \($0)" } ?? "another process"
                close(fd)
                throw KVStorageError(
                    "\(path) is in use by \(holder): a FileKV directory belongs to one process; share a store between processes with SQLiteKV or PostgresKV"
                )
            }
            let lock = FileKVLock(path: path, descriptor: fd)
            held[path] = (lock, 1)
            return lock
        }
    }

    /// The pid holding a `flock` on the file `fd` is open on, from `/proc/locks` (`1: FLOCK ADVISORY WRITE 4242
    /// 08:01:1234567 0 EOF`), matched by device and inode; `nil` when it cannot be told.
    private static func holderPID(of fd: Int32) -> Int? {
        var info = stat()
        // Read to the end: procfs files report size 0, and a busy machine's lock table is many pages long.
        guard fstat(fd, &info) == 0, let data = try? FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/locks")).readToEnd()
        else { return nil }
        let locks = String(decoding: data, as: UTF8.self)
        for line in locks.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "FLOCK" else { continue }
            let location = fields[5].split(separator: ":")
            guard location.count == 3, let inode = UInt64(location[2]), inode == UInt64(info.st_ino),
                let major = UInt32(location[0], radix: 16), let minor = UInt32(location[1], radix: 16),
                major == deviceMajor(UInt64(info.st_dev)), minor == deviceMinor(UInt64(info.st_dev))
            else { continue }
            return Int(fields[4])
        }
        return nil
    }

    /// glibc's `major()` and `minor()` (macros Swift cannot import).
    private static func deviceMajor(_ dev: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: ((dev >> 8) & 0xFFF) | ((dev >> 32) & ~UInt64(0xFFF))) }
    private static func deviceMinor(_ dev: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: (dev & 0xFF) | ((dev >> 12) & ~UInt64(0xFF))) }

    /// Gives up one FileKV's share; the last one releases the claim.
    func release() {
        Self.held.withLock { held in
            guard let entry = held[path], entry.lock === self else { return }
            if entry.users > 1 {
                held[path] = (entry.lock, entry.users - 1)
            } else {
                held[path] = nil
                close(descriptor)  // drops the flock
            }
        }
    }

    /// Runs `body` with this process's other writers of the directory excluded.
    func serialized<T>(_ body: () throws -> T) rethrows -> T {
        try writers.withLock { _ in try body() }
    }
}
