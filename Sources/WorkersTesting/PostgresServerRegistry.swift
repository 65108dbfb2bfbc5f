import Foundation
import Synchronization

/// Where ``PostgresServer`` directories are made, and the cleanup of servers a test process leaves behind: the
/// shared server is stopped at exit, and servers of processes that died without cleaning up are stopped and
/// deleted by the next start (their directory is named after the test process's pid).
enum PostgresServerRegistry {
    private static let atExit = Mutex<[PostgresServer]>([])
    private static let prefix = "workers-pg-"

    /// `/tmp` as root (the server's account must reach it), else the temporary directory.
    static var base: URL {
        getuid() == 0 ? URL(fileURLWithPath: "/tmp", isDirectory: true) : FileManager.default.temporaryDirectory
    }

    /// A new 0700 directory owned by `owner` (short: the socket path must fit in 107 bytes).
    static func makeDirectory(owner: PostgresServerAccount?) throws -> URL {
        let name = "\(prefix)\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"
        let directory = base.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if let owner, chown(directory.path, owner.uid, owner.gid) != 0 {
            throw PostgresServerError("chown \(directory.path) to \(owner.name) failed: errno \(errno)")
        }
        return directory
    }

    /// Tears `server` down when the process exits.
    static func stopAtExit(_ server: PostgresServer) {
        let first = atExit.withLock { servers in
            servers.append(server)
            return servers.count == 1
        }
        if first {
            atexit {
                for server in PostgresServerRegistry.atExit.withLock({ $0 }) { server.tearDown() }
            }
        }
    }

    /// Stops and deletes the servers of test processes that no longer exist.
    static func removeAbandoned() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        for name in names where name.hasPrefix(prefix) {
            guard let owner = Int32(name.dropFirst(prefix.count).prefix { $0.isNumber }), owner != getpid(),
                  kill(owner, 0) != 0, errno == ESRCH
            else { continue }
            let directory = base.appendingPathComponent(name, isDirectory: true)
            let pidFile = directory.appendingPathComponent("data/postmaster.pid")
            if let text = try? String(contentsOf: pidFile, encoding: .utf8),
               let line = text.split(separator: "\n").first, let pid = Int32(line),
               let command = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8), command.contains("postgres")
            {
                kill(pid, SIGQUIT)
                for _ in 0..<50 where kill(pid, 0) == 0 { usleep(100_000) }
            }
            try? FileManager.default.removeItem(at: directory)
        }
    }
}
