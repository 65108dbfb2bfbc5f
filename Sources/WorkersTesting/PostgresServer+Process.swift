import Foundation
import Synchronization

/// Finding the binaries, running `initdb`, `postgres` and the client tools.
extension PostgresServer {
    /// The first directory holding `initdb`, `postgres` and the client tools: `postgres` on `PATH` (symlinks
    /// resolved), then `/usr/lib/postgresql/<version>/bin`, newest version first.
    static func findBinaries() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        var candidates = path.split(separator: ":").map { URL(fileURLWithPath: String($0), isDirectory: true) }
        let root = URL(fileURLWithPath: "/usr/lib/postgresql", isDirectory: true)
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
            .sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
        candidates += versions.map { root.appendingPathComponent("\($0)/bin", isDirectory: true) }
        // A `postgres` on PATH may be a symlink into the real directory, which has the client tools too.
        let tools = ["initdb", "postgres", "pg_isready", "psql", "createdb"]
        for candidate in candidates {
            let postgres = candidate.appendingPathComponent("postgres")
            guard FileManager.default.isExecutableFile(atPath: postgres.path) else { continue }
            let directory = postgres.resolvingSymlinksInPath().deletingLastPathComponent()
            if tools.allSatisfy({ FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent($0).path) }) {
                return directory
            }
        }
        return nil
    }

    var dataDirectory: URL { directory.appendingPathComponent("data", isDirectory: true) }

    /// `initdb` with trust authentication, UTF-8 and the C locale, as the server's account.
    func initialise() throws(PostgresServerError) {
        let arguments = ["-D", dataDirectory.path, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]
        let (status, output) = execute(binaries.appendingPathComponent("initdb"), arguments, asServer: true)
        guard status == 0 else { throw PostgresServerError("initdb failed (\(status)): \(output)") }
    }

    /// Starts `postgres` and waits until it accepts connections.
    func launch() throws(PostgresServerError) {
        var arguments = ["-D", dataDirectory.path, "-p", "\(port)", "-k", directory.path, "-c", "listen_addresses=127.0.0.1"]
        for (name, value) in configuration.settings.sorted(by: { $0.key < $1.key }) { arguments += ["-c", "\(name)=\(value)"] }
        let logURL = directory.appendingPathComponent("server.log")
        if !FileManager.default.fileExists(atPath: logURL.path) {
            _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        }
        let process = makeProcess(binaries.appendingPathComponent("postgres"), arguments, asServer: true)
        do {
            let log = try FileHandle(forWritingTo: logURL)
            log.seekToEndOfFile()
            process.standardOutput = log
            process.standardError = log
            try process.run()
        } catch {
            throw PostgresServerError("cannot start postgres: \(error)")
        }
        setProcess(process)
        let deadline = ContinuousClock.now + configuration.startTimeout
        var probe = ""
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw PostgresServerError("postgres exited (\(process.terminationStatus)): \(log)") }
            let status: Int32
            (status, probe) = execute(binaries.appendingPathComponent("pg_isready"), ["-h", "127.0.0.1", "-p", "\(port)", "-t", "1"], asServer: false)
            if status == 0 { return }
            usleep(50_000)
        }
        throw PostgresServerError("postgres did not accept connections within \(configuration.startTimeout) (pg_isready: \(probe)): \(log)")
    }

    /// Runs the client tool `name` (`psql`, `createdb`, `pg_dump`) and returns its standard output.
    func run(_ name: String, _ arguments: [String]) throws -> String {
        let (status, output) = execute(binaries.appendingPathComponent(name), arguments, asServer: false)
        guard status == 0 else { throw PostgresServerError("\(name) failed (\(status)): \(output)") }
        return output
    }

    private func execute(_ executable: URL, _ arguments: [String], asServer: Bool) -> (Int32, String) {
        let process = makeProcess(executable, arguments, asServer: asServer)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return (-1, "\(executable.path): \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private func makeProcess(_ executable: URL, _ arguments: [String], asServer: Bool) -> Process {
        let process = Process()
        if asServer, let account {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = account.wrap([executable.path] + arguments)
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["PGCONNECT_TIMEOUT"] = "5"
        environment["LC_ALL"] = "C"
        process.environment = environment
        return process
    }
}

/// Freezing the server, for tests of a server that stops answering without closing its connections.
extension PostgresServer {
    /// Stops (SIGSTOP) the server and all its backends: connections stay open, nothing answers.
    /// - Returns: The processes stopped; pass them to ``resume(_:)``.
    public func pause() -> [Int32] {
        guard let postmaster = process.withLock({ $0?.processIdentifier }) else { return [] }
        let processes = [postmaster] + Self.children(of: postmaster)
        for pid in processes { kill(pid, SIGSTOP) }
        return processes
    }

    /// Continues (SIGCONT) the processes ``pause()`` stopped.
    public func resume(_ processes: [Int32]) {
        for pid in processes { kill(pid, SIGCONT) }
    }

    private static func children(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")")
            else { return false }
            // "pid (comm) state ppid ...": the fields after the command name.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == parent
        }
    }
}
