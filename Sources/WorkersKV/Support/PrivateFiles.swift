import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Local state (grant metadata, pending OAuth `state`, tokens' records) is for the server's user only: directories
/// the KV backends create are 0700 and the files they write 0600, whatever the umask.
///
/// Pure helpers over POSIX calls; every one blocks, so call them where the store already does blocking I/O.
enum PrivateFiles {
    /// The mode of the directories KV creates.
    static let directoryMode: mode_t = 0o700
    /// The mode of the files KV writes.
    static let fileMode: mode_t = 0o600

    /// Creates `path` and any missing parent directories with mode 0700; directories that exist are left alone.
    /// - Throws: ``KVStorageError`` when a directory cannot be created.
    static func createDirectories(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path { try createDirectories(parent) }
        if mkdir(path, directoryMode) != 0, errno != EEXIST {
            throw KVStorageError("cannot create directory \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Creates `path` as an empty 0600 file if it does not exist, and takes group and other permissions away from
    /// it if it does (a store created before this rule, or by hand).
    /// - Throws: ``KVStorageError`` when the file cannot be created or its mode changed.
    static func createPrivateFile(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, fileMode)
        guard fd >= 0 else { throw KVStorageError("cannot create \(path): \(String(cString: strerror(errno)))") }
        close(fd)
        try restrict(path)
    }

    /// Takes group and other permissions away from `path` (a file or directory) when it exists and has any,
    /// keeping the owner's; a missing path is fine.
    /// - Throws: ``KVStorageError`` when the mode cannot be changed.
    static func restrict(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & 0o077 != 0 else { return }
        guard chmod(path, info.st_mode & 0o700) == 0 else {
            throw KVStorageError("cannot restrict the permissions of \(path): \(String(cString: strerror(errno)))")
        }
    }
}
