import Foundation
import Testing
import WorkersRuntime

@Suite("WorkerConfig")
struct WorkerConfigTests {
    static let directory = URL(fileURLWithPath: "/srv/worker", isDirectory: true)

    static func parse(_ text: String, environment: String? = nil) throws -> WorkerConfig {
        try WorkerConfig.parse(text, directory: directory, environment: environment)
    }

    /// The error thrown by parsing `text`, or nil (recorded as an issue) when it parses.
    static func error(_ text: String, environment: String? = nil) -> WorkerConfigError? {
        do {
            _ = try parse(text, environment: environment)
            Issue.record("the config was accepted")
        } catch let error as WorkerConfigError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return nil
    }

    static let full = """
        name = "my-worker"
        main = "src/index.ts"
        compatibility_date = "2024-10-28"

        [vars]
        API_HOST = "example.com"
        SERVICE = { URL = "service-x-api.dev.example", MY_ID = 123 }
        DEBUG = true
        RATIO = 0.5
        ORIGINS = ["a", "b"]

        [[kv_namespaces]]
        binding = "OAUTH_KV"
        id = "06779da6940b431db6e566b4846d64db"
        preview_id = "preview"

        [[kv_namespaces]]
        binding = "CACHE"
        backend = "memory"

        [triggers]
        crons = ["*/3 * * * *", "0 15 1 * *"]

        [dev]
        ip = "0.0.0.0"
        port = 9000
        local_protocol = "https"

        [swift_workers]
        public_origin = "https://mcp.example.com/"
        tls_cert = "certs/cert.pem"
        tls_key = "/etc/ssl/key.pem"
        storage_dir = "state"
        trust_forwarded_headers = true
        max_body_size = 2048
        """

    @Test func readsEveryKeyOfAFullFile() throws {
        let config = try Self.parse(Self.full)
        #expect(config.name == "my-worker")
        #expect(config.compatibilityDate == "2024-10-28")
        #expect(config.vars["API_HOST"] == "example.com")
        #expect(config.vars["SERVICE"] == ["URL": "service-x-api.dev.example", "MY_ID": 123])
        #expect(config.vars["DEBUG"] == true)
        #expect(config.vars["RATIO"] == 0.5)
        #expect(config.vars["ORIGINS"] == ["a", "b"])
        #expect(config.kvNamespaces == [
            KVNamespaceConfig(binding: "OAUTH_KV", id: "06779da6940b431db6e566b4846d64db", previewId: "preview"),
            KVNamespaceConfig(binding: "CACHE", backend: "memory"),
        ])
        #expect(config.crons == ["*/3 * * * *", "0 15 1 * *"])
        #expect(config.cronExpressions.map(\.source) == config.crons)
        #expect(config.dev == WorkerConfig.Dev(ip: "0.0.0.0", port: 9000, localProtocol: "https"))
        #expect(config.host.publicOrigin == "https://mcp.example.com")
        #expect(config.host.trustForwardedHeaders)
        #expect(config.host.maxBodySize == 2048)
        #expect(config.warnings.isEmpty, "\(config.warnings)")
        #expect(config.environment == nil)
    }

    @Test func appliesWranglerDefaults() throws {
        let config = try Self.parse("name = \"w\"")
        #expect(config.dev == WorkerConfig.Dev(ip: "localhost", port: 8787, localProtocol: "http"))
        #expect(config.vars.isEmpty)
        #expect(config.kvNamespaces.isEmpty)
        #expect(config.crons.isEmpty)
        #expect(config.host.publicOrigin == nil)
        #expect(config.host.tlsCert == nil)
        #expect(!config.host.trustForwardedHeaders)
        #expect(config.host.maxBodySize == 1_048_576)
        #expect(config.host.storageDir.path == "/srv/worker/.wrangler/state")
    }

    @Test func resolvesRelativePathsAgainstTheConfigDirectory() throws {
        let config = try Self.parse(Self.full + "\n[[kv_namespaces]]\nbinding = \"FILES\"\npath = \"../data/files\"\n")
        #expect(config.host.tlsCert?.path == "/srv/worker/certs/cert.pem")
        #expect(config.host.tlsKey?.path == "/etc/ssl/key.pem")
        #expect(config.host.storageDir.path == "/srv/worker/state")
        #expect(config.kvNamespace("FILES")?.resolvedPath(in: config.directory)?.path == "/srv/data/files")
        #expect(config.resolve(path: "a/b").path == "/srv/worker/a/b")
    }

    @Test func acceptsAnUnquotedTOMLDate() throws {
        #expect(try Self.parse("compatibility_date = 2024-01-05").compatibilityDate == "2024-01-05")
    }

    static let environments = """
        name = "api"
        compatibility_date = "2024-10-28"
        [vars]
        MODE = "production"
        [[kv_namespaces]]
        binding = "KV"
        [triggers]
        crons = ["0 * * * *"]
        [dev]
        port = 9000
        [swift_workers]
        public_origin = "https://api.example.com"
        max_body_size = 100

        [env.staging]
        vars = { MODE = "staging" }
        [env.staging.swift_workers]
        public_origin = "https://staging.example.com"

        [env.bare]
        name = "bare-worker"
        triggers = { crons = [] }
        """

    @Test func environmentInheritsInheritableKeys() throws {
        let staging = try Self.parse(Self.environments, environment: "staging")
        #expect(staging.environment == "staging")
        #expect(staging.name == "api-staging")
        #expect(staging.compatibilityDate == "2024-10-28")
        #expect(staging.crons == ["0 * * * *"])
        #expect(staging.dev.port == 9000)
        #expect(staging.host.publicOrigin == "https://staging.example.com")
        #expect(staging.host.maxBodySize == 100)
        #expect(staging.vars == ["MODE": "staging"])
    }

    @Test func environmentDoesNotInheritVarsOrBindings() throws {
        let bare = try Self.parse(Self.environments, environment: "bare")
        #expect(bare.name == "bare-worker")
        #expect(bare.vars.isEmpty)
        #expect(bare.kvNamespaces.isEmpty)
        #expect(bare.crons.isEmpty)
        #expect(bare.warnings.contains { $0.contains("[env] bare") && $0.contains("vars") })
        #expect(bare.warnings.contains { $0.contains("kv_namespaces") })
        let staging = try Self.parse(Self.environments, environment: "staging")
        #expect(staging.kvNamespaces.isEmpty)
    }

    @Test func topLevelIgnoresEnvironments() throws {
        let top = try Self.parse(Self.environments)
        #expect(top.name == "api")
        #expect(top.vars == ["MODE": "production"])
        #expect(top.kvNamespaces.map(\.binding) == ["KV"])
    }

    @Test func missingEnvironmentIsAnError() throws {
        let error = try #require(Self.error(Self.environments, environment: "prod"))
        #expect(error.message.contains("no environment named \"prod\""))
        #expect(error.message.contains("\"bare\", \"staging\""))
    }

    @Test func unknownKeysWarnWithTheirLine() throws {
        let config = try Self.parse("""
            name = "w"
            colour = "blue"
            [dev]
            port = 1234
            speed = 3
            [[kv_namespaces]]
            binding = "KV"
            ttl = 5
            [env.x]
            durable_objects = { bindings = [] }
            """)
        #expect(config.dev.port == 1234)
        #expect(config.warnings.count == 4, "\(config.warnings)")
        #expect(config.warnings.contains("wrangler.toml:2: colour: unknown key; ignored"))
        #expect(config.warnings.contains("wrangler.toml:5: [dev] speed: unknown key; ignored"))
        #expect(config.warnings.contains { $0.hasPrefix("wrangler.toml:8: ") && $0.contains("ttl") })
        #expect(config.warnings.contains { $0.hasPrefix("wrangler.toml:10: ") && $0.contains("not supported") })
    }

    @Test func deploymentOnlyKeysAreAcceptedQuietly() throws {
        let config = try Self.parse("""
            name = "w"
            main = "src/index.ts"
            workers_dev = true
            compatibility_flags = ["nodejs_compat"]
            routes = [{ pattern = "example.com/*", zone_name = "example.com" }]
            """)
        #expect(config.warnings.isEmpty, "\(config.warnings)")
    }

    @Test func malformedSyntaxNamesFileAndLine() throws {
        let error = try #require(Self.error("name = \"w\"\n\n[dev]\nport = = 3\n"))
        #expect(error.file == "wrangler.toml")
        #expect(error.line == 4)
        #expect(error.description.hasPrefix("wrangler.toml:4:"))
        #expect(error.message.contains("invalid TOML"))
    }

    @Test func wrongTypeNamesKeyAndLine() throws {
        let error = try #require(Self.error("name = \"w\"\n\n[dev]\nip = \"::\"\n    port = \"abc\"\n"))
        #expect(error.line == 5)
        #expect(error.column == 5)
        #expect(error.key == "[dev] port")
        #expect(error.description == "wrangler.toml:5:5: [dev] port: expected an integer, got \"abc\"")
    }

    @Test func linesAreCountedInCRLFFiles() throws {
        let error = try #require(Self.error("name = \"w\"\r\n\r\n[dev]\r\nport = true\r\n"))
        #expect(error.line == 4)
        #expect(error.key == "[dev] port")
    }

    @Test func wrongTypesInsideInlineTablesAndEnvironmentsAreLocated() throws {
        let text = """
            name = "w"
            [env.staging]
            name = "s"
            kv_namespaces = [
              { binding = "A" },
              { binding = 7 },
            ]
            """
        let error = try #require(Self.error(text))
        #expect(error.key == "[env.staging.kv_namespaces[1]] binding")
        #expect(error.line == 6)
        #expect(error.message == "expected a string, got 7")
    }

    @Test(arguments: [
        ("[triggers]\ncrons = [\"* * * *\"]", "[triggers] crons[0]", "expected 5 fields"),
        ("[dev]\nport = 70000", "[dev] port", "0-65535"),
        ("[dev]\nlocal_protocol = \"ftp\"", "[dev] local_protocol", "\"http\" or \"https\""),
        ("[swift_workers]\npublic_origin = \"example.com\"", "[swift_workers] public_origin", "expected an origin"),
        ("[swift_workers]\npublic_origin = \"https://x.com/path\"", "[swift_workers] public_origin", "expected an origin"),
        ("[swift_workers]\ntls_cert = \"c.pem\"", "[swift_workers] tls_cert", "tls_key must be set too"),
        ("[swift_workers]\nmax_body_size = 0", "[swift_workers] max_body_size", "positive"),
        ("[swift_workers]\ntrust_forwarded_headers = \"yes\"", "[swift_workers] trust_forwarded_headers", "true or false"),
        ("[[kv_namespaces]]\nid = \"x\"", "kv_namespaces[0]", "missing \"binding\""),
        ("[[kv_namespaces]]\nbinding = \"my-kv\"", "[kv_namespaces[0]] binding", "not a valid binding name"),
        ("[[kv_namespaces]]\nbinding = \"A\"\n[[kv_namespaces]]\nbinding = \"A\"", "[kv_namespaces[1]] binding", "already used"),
        ("[[kv_namespaces]]\nbinding = \"A\"\nbackend = \"redis\"", "[kv_namespaces[0]] backend", "sqlite, file, memory"),
        ("vars = \"x\"", "vars", "expected a table"),
        ("compatibility_date = \"yesterday\"", "compatibility_date", "a date like"),
        ("[env.staging]\ndev = { port = \"x\" }", "[env.staging.dev] port", "expected an integer"),
    ])
    func invalidValuesNameTheKey(text: String, key: String, fragment: String) throws {
        let error = try #require(Self.error(text))
        #expect(error.key == key, "\(error)")
        #expect(error.message.contains(fragment), "\(error)")
        #expect(error.line != nil, "\(error)")
    }

    @Test func loadReadsAFileAndFindSearchesParents() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)")
        let nested = root.appendingPathComponent("a/b", isDirectory: true)
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(WorkerConfig.find(startingAt: nested)?.path.hasPrefix(root.path) != true)

        let file = root.appendingPathComponent("wrangler.toml")
        try Data("name = \"found\"\n[swift_workers]\nstorage_dir = \"s\"\n".utf8).write(to: file)
        let found = try #require(WorkerConfig.find(startingAt: nested))
        #expect(found.standardizedFileURL.path == file.standardizedFileURL.path)
        let config = try WorkerConfig.load(from: found)
        #expect(config.name == "found")
        #expect(config.directory.standardizedFileURL.path == root.standardizedFileURL.path)
        #expect(config.host.storageDir.path == root.appendingPathComponent("s").standardizedFileURL.path)

        // A directory's own file wins over a parent's.
        let nearer = nested.appendingPathComponent("wrangler.toml")
        try Data("name = \"nearer\"".utf8).write(to: nearer)
        #expect(WorkerConfig.find(startingAt: nested)?.standardizedFileURL.path == nearer.standardizedFileURL.path)
    }

    @Test func loadReportsAMissingFile() throws {
        let missing = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/wrangler.toml")
        #expect(throws: WorkerConfigError.self) { try WorkerConfig.load(from: missing) }
    }
}
