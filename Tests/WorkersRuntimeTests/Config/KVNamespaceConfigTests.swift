import Foundation
import Testing
import WorkersRuntime

@Suite("[[kv_namespaces]] database backends")
struct KVNamespaceConfigTests {
    static let directory = URL(fileURLWithPath: "/srv/app")

    @Test("backend = \"postgres\" names the secret holding its URL; DATABASE_URL when none is named")
    func postgresBinding() throws {
        let config = try WorkerConfig.parse(
            """
            [[kv_namespaces]]
            binding = "OAUTH_KV"
            backend = "postgres"
            url_secret = "OAUTH_DATABASE_URL"

            [[kv_namespaces]]
            binding = "CACHE"
            backend = "postgres"
            """,
            directory: Self.directory
        )
        #expect(config.kvNamespace("OAUTH_KV")?.backend == "postgres")
        #expect(config.kvNamespace("OAUTH_KV")?.urlSecret == "OAUTH_DATABASE_URL")
        #expect(config.kvNamespace("CACHE")?.urlSecret == nil)
    }

    @Test("a connection URL written in the config is refused: it holds a password")
    func urlInTheConfigIsRefused() {
        #expect {
            try WorkerConfig.parse(
                """
                [[kv_namespaces]]
                binding = "OAUTH_KV"
                backend = "postgres"
                url = "postgres://app:hunter2@db.example/app"
                """,
                directory: Self.directory
            )
        } throws: { error in
            let text = "\(error)"
            return text.contains("secret") && text.contains("url") && !text.contains("hunter2")
        }
    }
}
