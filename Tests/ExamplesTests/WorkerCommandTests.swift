import Foundation
import HTTPTypes
import NIOHTTP1
import Testing
import WorkersRuntime
import WorkersTesting

/// The command line every worker executable gets, exercised through the real `bearer-token` binary.
@Suite("WorkerCommand through the bearer-token executable")
struct WorkerCommandTests {
    struct Run: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let binary = ChildServer.sibling("bearer-token")

    /// Runs the binary (or `executable`) in `directory` with `stdin` piped in, and waits for it off the cooperative
    /// pool.
    static func run(_ arguments: [String], in directory: URL, stdin: String = "", executable: URL = binary) async throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { process in
                let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                let err = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                continuation.resume(returning: Run(status: process.terminationStatus, stdout: out, stderr: err))
            }
            do {
                try process.run()
                input.fileHandleForWriting.write(Data(stdin.utf8))
                try? input.fileHandleForWriting.close()
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    /// A new project directory whose `wrangler.toml` binds `binding` to the SQLite namespace `id`.
    static func project(binding: String = "DATA", id: String = "data") throws -> URL {
        try project(wranglerTOML: """
            name = "cli-test"
            [[kv_namespaces]]
            binding = "\(binding)"
            id = "\(id)"
            """)
    }

    /// A new temporary project directory holding `wranglerTOML` as its `wrangler.toml`.
    static func project(wranglerTOML: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try wranglerTOML.write(to: directory.appendingPathComponent("wrangler.toml"), atomically: true, encoding: .utf8)
        return directory
    }

    @Test("secret put (from stdin) / list / delete keep .dev.vars at mode 0600 and never print values")
    func secrets() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build with swift build --build-tests")
        let directory = try Self.project()
        defer { try? FileManager.default.removeItem(at: directory) }

        let put = try await Self.run(["secret", "put", "MCP_SECRET_TOKEN"], in: directory, stdin: "s3cr3t-value\n")
        #expect(put.status == 0, "\(put.stderr)")
        let file = directory.appendingPathComponent(".dev.vars")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try String(contentsOf: file, encoding: .utf8).contains("s3cr3t-value"))

        let list = try await Self.run(["secret", "list"], in: directory)
        let names = try JSONValue(parsing: Data(list.stdout.utf8))
        #expect(names == [["name": "MCP_SECRET_TOKEN", "type": "secret_text"]])
        #expect(!list.stdout.contains("s3cr3t-value") && !list.stderr.contains("s3cr3t-value"))

        let delete = try await Self.run(["secret", "delete", "MCP_SECRET_TOKEN"], in: directory)
        #expect(delete.status == 0)
        #expect(try !String(contentsOf: file, encoding: .utf8).contains("MCP_SECRET_TOKEN"))
        let again = try await Self.run(["secret", "delete", "MCP_SECRET_TOKEN"], in: directory)
        #expect(again.status != 0)
    }

    @Test("kv key put / get / list / delete work on the binding's SQLite file")
    func kv() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build with swift build --build-tests")
        let directory = try Self.project()
        defer { try? FileManager.default.removeItem(at: directory) }

        let put = try await Self.run(["kv", "key", "put", "greeting", "hello", "--binding", "DATA", "--metadata", #"{"v":1}"#], in: directory)
        #expect(put.status == 0, "\(put.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(".wrangler/state/kv/data.sqlite").path))
        let fromStdin = try await Self.run(["kv", "key", "put", "piped", "--binding", "DATA", "--ttl", "3600"], in: directory, stdin: "from stdin")
        #expect(fromStdin.status == 0)

        #expect(try await Self.run(["kv", "key", "get", "greeting", "--binding", "DATA"], in: directory).stdout == "hello")
        #expect(try await Self.run(["kv", "key", "get", "piped", "--binding", "DATA"], in: directory).stdout == "from stdin")
        let list = try await Self.run(["kv", "key", "list", "--binding", "DATA"], in: directory)
        let keys = try JSONValue(parsing: Data(list.stdout.utf8)).arrayValue ?? []
        #expect(keys.compactMap { $0["name"]?.stringValue } == ["greeting", "piped"])
        #expect(keys.first?["metadata"] == ["v": 1])
        #expect(keys.last?["expiration"]?.numberValue != nil)

        #expect(try await Self.run(["kv", "key", "delete", "greeting", "--binding", "DATA"], in: directory).status == 0)
        #expect(try await Self.run(["kv", "key", "get", "greeting", "--binding", "DATA"], in: directory).status == 1)
        let short = try await Self.run(["kv", "key", "put", "k", "v", "--binding", "DATA", "--ttl", "30"], in: directory)
        #expect(short.status != 0)
        #expect(short.stderr.contains("Expiration TTL must be at least 60"))
        let unknown = try await Self.run(["kv", "key", "list", "--binding", "NOPE"], in: directory)
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("DATA"))
    }

    @Test("serve refuses to start without the secret, and with it serves until SIGTERM, then exits cleanly")
    func serve() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build with swift build --build-tests")
        let directory = try Self.project()
        defer { try? FileManager.default.removeItem(at: directory) }

        let refused = try await Self.run(["serve", "--port", "0"], in: directory)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("secret put MCP_SECRET_TOKEN"))

        _ = try await Self.run(["secret", "put", "MCP_SECRET_TOKEN"], in: directory, stdin: "tok\n")
        let server = try ChildServer.start(Self.binary, arguments: ["serve", "--ip", "127.0.0.1", "--port", "0"], in: directory)
        let response = try await TestClient().send(.get, server.url("/x"), headers: [("Authorization", "Bearer tok")])
        #expect(response.status == 200)
        let status = await server.stop(signal: SIGTERM)  // graceful shutdown
        #expect(status == 0)
    }

    @Test("serve warns once, saying how to fix it, when .dev.vars is readable by others; not when it is 0600")
    func serveWarnsAboutReadableSecrets() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build with swift build --build-tests")
        let directory = try Self.project()
        defer { try? FileManager.default.removeItem(at: directory) }
        let secrets = directory.appendingPathComponent(".dev.vars")
        try "MCP_SECRET_TOKEN=tok\n".write(to: secrets, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: secrets.path)

        let exposed = try ChildServer.start(Self.binary, arguments: ["serve", "--ip", "127.0.0.1", "--port", "0"], in: directory)
        let exposedStatus = await exposed.stop(signal: SIGTERM)
        #expect(exposedStatus == 0)
        #expect(exposed.startupOutput.components(separatedBy: "accessible to other users").count == 2, "\(exposed.startupOutput)")
        #expect(exposed.startupOutput.contains("mode 0644"))
        #expect(exposed.startupOutput.contains("chmod 600 \(secrets.path)"))

        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secrets.path)
        let private_ = try ChildServer.start(Self.binary, arguments: ["serve", "--ip", "127.0.0.1", "--port", "0"], in: directory)
        let privateStatus = await private_.stop(signal: SIGTERM)
        #expect(privateStatus == 0)
        #expect(!private_.startupOutput.contains("chmod"), "\(private_.startupOutput)")
    }
}
