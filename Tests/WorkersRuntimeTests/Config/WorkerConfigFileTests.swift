import Foundation
import Testing
import WorkersRuntime

@Suite("Finding and loading the config file")
struct WorkerConfigFileTests {
    /// A fresh directory tree under the temporary directory, removed by the caller.
    static func tree() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("app/src"), withIntermediateDirectories: true)
        return root
    }

    static func write(_ text: String, _ path: String, in root: URL) throws {
        try text.write(to: root.appendingPathComponent(path), atomically: true, encoding: .utf8)
    }

    @Test("in one directory wrangler.json wins over wrangler.jsonc, which wins over wrangler.toml")
    func precedenceInOneDirectory() throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(at: root) }
        let app = root.appendingPathComponent("app")
        try Self.write("name = \"toml\"", "app/wrangler.toml", in: root)
        #expect(WorkerConfig.find(startingAt: app)?.lastPathComponent == "wrangler.toml")
        try Self.write(#"{"name": "jsonc"}"#, "app/wrangler.jsonc", in: root)
        #expect(WorkerConfig.find(startingAt: app)?.lastPathComponent == "wrangler.jsonc")
        try Self.write(#"{"name": "json"}"#, "app/wrangler.json", in: root)
        let found = try #require(WorkerConfig.find(startingAt: app))
        #expect(found.lastPathComponent == "wrangler.json")
        #expect(try WorkerConfig.load(from: found).name == "json")
    }

    @Test("each name is looked for up the parent directories before the next name, as wrangler does")
    func precedenceAcrossParents() throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(at: root) }
        let src = root.appendingPathComponent("app/src")
        #expect(WorkerConfig.find(startingAt: src).map { $0.path.hasPrefix(root.path) } != true)

        try Self.write("name = \"app\"", "app/wrangler.toml", in: root)
        #expect(WorkerConfig.find(startingAt: src)?.path == root.appendingPathComponent("app/wrangler.toml").path)

        // A wrangler.jsonc further up is preferred to the nearer wrangler.toml (wrangler's find order).
        try Self.write(#"{"name": "root"}"#, "wrangler.jsonc", in: root)
        #expect(WorkerConfig.find(startingAt: src)?.path == root.appendingPathComponent("wrangler.jsonc").path)

        // A directory named like a config file is not one.
        try FileManager.default.createDirectory(at: src.appendingPathComponent("wrangler.json"), withIntermediateDirectories: true)
        #expect(WorkerConfig.find(startingAt: src)?.lastPathComponent == "wrangler.jsonc")
    }

    @Test("load reads .json and .jsonc as JSON with comments, anything else as TOML, resolving paths beside the file")
    func loadByExtension() throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.write(
            """
            // comments are allowed in wrangler.json too, as wrangler allows them
            { "kv_namespaces": [{ "binding": "OAUTH_KV", "id": "abc", "backend": "file", "path": "data" },],
              "env": { "staging": { "swift_workers": { "storage_dir": "staging-state" } } } }
            """, "app/wrangler.json", in: root)
        let file = root.appendingPathComponent("app/wrangler.json")
        let config = try WorkerConfig.load(from: file, environment: "staging")
        #expect(config.directory.standardizedFileURL.path == root.appendingPathComponent("app").path)
        #expect(config.host.storageDir.path == root.appendingPathComponent("app/staging-state").path)
        #expect(try WorkerConfig.load(from: file).kvNamespace("OAUTH_KV")?.resolvedPath(in: config.directory)?.path
            == root.appendingPathComponent("app/data").path)

        try Self.write("name = \"from-toml\"", "app/custom.conf", in: root)
        #expect(try WorkerConfig.load(from: root.appendingPathComponent("app/custom.conf")).name == "from-toml")

        try Self.write("{\n  \"dev\": { \"port\": true }\n}", "app/broken.jsonc", in: root)
        #expect {
            try WorkerConfig.load(from: root.appendingPathComponent("app/broken.jsonc"))
        } throws: { error in
            let error = error as? WorkerConfigError
            return error?.file.hasSuffix("app/broken.jsonc") == true && error?.line == 2 && error?.key == "[dev] port"
        }
    }
}
