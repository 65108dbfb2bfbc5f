import Foundation
import Testing
import WorkersRuntime

@Suite("WorkerConfig from wrangler.json(c)")
struct WorkerConfigJSONCTests {
    static let directory = URL(fileURLWithPath: "/srv/worker", isDirectory: true)

    static func parse(_ text: String, environment: String? = nil) throws -> WorkerConfig {
        try WorkerConfig.parseJSONC(text, directory: directory, environment: environment)
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

    @Test("the README's wrangler.jsonc snippet, with comments and trailing commas, declares the KV binding")
    func seedSnippet() throws {
        let config = try Self.parse(
            """
            // wrangler.jsonc
            {
              /* the grant store */
              "kv_namespaces": [
                { "binding": "OAUTH_KV", "id": "<id>" }, // one namespace
              ],
            }
            """)
        #expect(config.kvNamespaces == [KVNamespaceConfig(binding: "OAUTH_KV", id: "<id>")])
        #expect(config.warnings.isEmpty, "\(config.warnings)")
    }

    @Test("a byte order mark and CRLF line ends are accepted, and positions still count from the line start")
    func byteOrderMarkAndCRLF() throws {
        let config = try Self.parse("\u{FEFF}// first\r\n{\r\n  \"name\": \"bom\",\r\n}\r\n")
        #expect(config.name == "bom")
        let error = try #require(Self.error("\u{FEFF}{\r\n  \"dev\": {\"port\": \"x\"}\r\n}"))
        #expect(error.line == 2 && error.column == 11)
    }

    @Test("comment markers and ,] inside strings are string content")
    func commentMarkersInStrings() throws {
        let config = try Self.parse(
            #"""
            {
              "vars": {
                "URL": "https://example.com//path", // a real comment
                "BLOCK": "/* not a comment */",
                "COMMAS": "a,]b,}c",
                "QUOTE": "say \"hi\" // still a string",
                "ESCAPES": "tab\there \u00e9 \ud83d\ude00 \/",
              },
            }
            """#)
        #expect(config.vars["URL"] == "https://example.com//path")
        #expect(config.vars["BLOCK"] == "/* not a comment */")
        #expect(config.vars["COMMAS"] == "a,]b,}c")
        #expect(config.vars["QUOTE"] == "say \"hi\" // still a string")
        #expect(config.vars["ESCAPES"] == "tab\there é 😀 /")
    }

    @Test("every key reads as it does from the same file in TOML")
    func sameAsTOML() throws {
        let json = try Self.parse(
            """
            {
              "$schema": "node_modules/wrangler/config-schema.json",
              "name": "my-worker",
              "main": "src/index.ts",
              "compatibility_date": "2024-10-28",
              "vars": { "API_HOST": "example.com", "SERVICE": { "URL": "x", "MY_ID": 123 }, "DEBUG": true, "RATIO": 0.5 },
              "kv_namespaces": [
                { "binding": "OAUTH_KV", "id": "06779da6", "preview_id": "preview" },
                { "binding": "CACHE", "backend": "memory" }
              ],
              "triggers": { "crons": ["*/3 * * * *", "0 15 1 * *"] },
              "dev": { "ip": "0.0.0.0", "port": 9000, "local_protocol": "https" },
              "swift_workers": {
                "public_origin": "https://mcp.example.com/", "tls_cert": "certs/cert.pem", "tls_key": "/etc/ssl/key.pem",
                "storage_dir": "state", "trust_forwarded_headers": true, "max_body_size": 2048, "drain_timeout": 2.5
              }
            }
            """)
        let toml = try WorkerConfig.parse(
            """
            name = "my-worker"
            main = "src/index.ts"
            compatibility_date = "2024-10-28"
            [vars]
            API_HOST = "example.com"
            SERVICE = { URL = "x", MY_ID = 123 }
            DEBUG = true
            RATIO = 0.5
            [[kv_namespaces]]
            binding = "OAUTH_KV"
            id = "06779da6"
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
            drain_timeout = 2.5
            """, directory: Self.directory)
        #expect(json.name == toml.name)
        #expect(json.compatibilityDate == toml.compatibilityDate)
        #expect(json.vars == toml.vars)
        #expect(json.vars["SERVICE"] == ["URL": "x", "MY_ID": 123])
        #expect(json.kvNamespaces == toml.kvNamespaces)
        #expect(json.kvNamespaces.map(\.binding) == ["OAUTH_KV", "CACHE"])
        #expect(json.crons == toml.crons)
        #expect(json.dev == toml.dev)
        #expect(json.dev.port == 9000)
        #expect(json.host.publicOrigin == "https://mcp.example.com")
        #expect(json.host.tlsCert == toml.host.tlsCert)
        #expect(json.host.storageDir.path == "/srv/worker/state")
        #expect(json.host.trustForwardedHeaders && json.host.maxBodySize == 2048)
        #expect(json.host.drainTimeout == toml.host.drainTimeout)
        #expect(json.warnings.isEmpty, "\(json.warnings)")
    }

    static let environments = """
        {
          "name": "api",
          "compatibility_date": "2024-10-28",
          "vars": { "MODE": "production" },
          "kv_namespaces": [{ "binding": "KV", "id": "prod" }],
          "dev": { "port": 9000 },
          "env": {
            "staging": {
              "vars": { "MODE": "staging" },
              "kv_namespaces": [{ "binding": "KV", "id": "staging" }],
            },
            "bare": { "name": "bare-worker" },
          },
        }
        """

    @Test("env.NAME inherits like [env.NAME]: name-env, dev settings; never vars or bindings")
    func environmentInheritance() throws {
        let staging = try Self.parse(Self.environments, environment: "staging")
        #expect(staging.environment == "staging")
        #expect(staging.name == "api-staging")
        #expect(staging.compatibilityDate == "2024-10-28")
        #expect(staging.dev.port == 9000)
        #expect(staging.vars == ["MODE": "staging"])
        #expect(staging.kvNamespaces.map(\.id) == ["staging"])

        let bare = try Self.parse(Self.environments, environment: "bare")
        #expect(bare.name == "bare-worker")
        #expect(bare.vars.isEmpty && bare.kvNamespaces.isEmpty)
        #expect(bare.warnings.contains { $0.hasPrefix("wrangler.jsonc:") && $0.contains("vars") })

        let top = try Self.parse(Self.environments)
        #expect(top.name == "api" && top.kvNamespaces.map(\.id) == ["prod"])

        let missing = try #require(Self.error(Self.environments, environment: "prod"))
        #expect(missing.message.contains("no environment named \"prod\""))
        #expect(missing.message.contains("\"bare\", \"staging\""))
    }

    @Test("a wrong value is reported with its file, line and key")
    func valueErrorsHaveLines() throws {
        let port = try #require(Self.error("{\n  \"name\": \"w\",\n  \"dev\": {\n    \"port\": \"abc\"\n  }\n}"))
        #expect(port.description == "wrangler.jsonc:4:5: [dev] port: expected an integer, got \"abc\"")

        let binding = try #require(
            Self.error(
                """
                {
                  "kv_namespaces": [
                    { "binding": "A" },
                    { "id": "no-binding" }
                  ]
                }
                """))
        #expect(binding.line == 4)
        #expect(binding.message.contains("missing \"binding\""))

        let inEnv = try #require(Self.error("{\"env\": {\"staging\": {\n\"dev\": {\"local_protocol\": \"ftp\"}}}}"))
        #expect(inEnv.line == 2)
        #expect(inEnv.key == "[env.staging.dev] local_protocol")

        let null = try #require(Self.error("{\n\"name\": null\n}"))
        #expect(null.line == 2 && null.message.contains("null"))

        let url = try #require(Self.error(#"{"kv_namespaces": [{"binding": "K", "backend": "postgres", "url": "postgres://u:hunter2@h/d"}]}"#))
        #expect(!url.description.contains("hunter2"))
        #expect(url.key == "[kv_namespaces[0]] url")
    }

    @Test("malformed JSON is reported with its line and column")
    func syntaxErrorsHaveLines() throws {
        let comma = try #require(Self.error("{\n  \"name\": \"w\"\n  \"main\": \"x\"\n}"))
        #expect(comma.line == 3 && comma.column == 3)
        #expect(comma.message.contains("expected \",\" or \"}\""))

        let comment = try #require(Self.error("{\n  /* never closed\n}"))
        #expect(comment.line == 2 && comment.message.contains("unterminated /* comment"))

        let top = try #require(Self.error("[1, 2]"))
        #expect(top.message.contains("top level must be a JSON object"))

        #expect(Self.error("")?.message.contains("expected a JSON value") == true)
        #expect(Self.error("{\"name\": 'single'}")?.column == 10)
        #expect(Self.error("{,}") != nil)
        #expect(Self.error("{\"a\": [1,,2]}") != nil)
        #expect(Self.error("{} {}")?.message.contains("end of the file") == true)
        #expect(Self.error("{\"name\": \"two\nlines\"}") != nil)
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(Self.error("{\"vars\": {\"X\": \(deep)}}")?.message.contains("nested more than") == true)
    }

    @Test("unknown keys and repeated keys warn with their line; the last repeated value is used")
    func warnings() throws {
        let config = try Self.parse("{\n  \"name\": \"a\",\n  \"nmae\": \"typo\",\n  \"name\": \"b\",\n  \"d1_databases\": []\n}")
        #expect(config.name == "b")
        #expect(config.warnings.contains("wrangler.jsonc:3: nmae: unknown key; ignored"))
        #expect(config.warnings.contains("wrangler.jsonc:4: name: written more than once; the last value is used"))
        #expect(config.warnings.contains { $0.contains("d1_databases") && $0.contains("not supported") })
    }

    @Test("whole numbers read as integers wherever TOML wants one")
    func numbers() throws {
        #expect(try Self.parse(#"{"dev": {"port": 8788.0}}"#).dev.port == 8788)
        #expect(try Self.parse(#"{"swift_workers": {"max_body_size": 1e6}}"#).host.maxBodySize == 1_000_000)
        #expect(Self.error(#"{"dev": {"port": 80.5}}"#)?.message.contains("expected an integer") == true)
        #expect(Self.error(#"{"dev": {"port": 1e999}}"#)?.message.contains("too large") == true)
        #expect(try Self.parse(#"{"vars": {"N": -0.25, "BIG": 12345678901}}"#).vars == ["N": -0.25, "BIG": 12_345_678_901])
    }
}
