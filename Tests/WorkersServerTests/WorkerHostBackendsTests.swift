import Foundation
import Logging
import Synchronization
import Testing
import WorkersKV
import WorkersRuntime

@testable import WorkersServer

@Suite("KV backends of a worker executable", .serialized)
struct WorkerHostBackendsTests {
    @Test("a postgres binding in a worker built without the PostgreSQL backend refuses to start, saying how to add it")
    func missingBackendIsNamed() throws {
        let config = try WorkerConfig.parse(
            "[[kv_namespaces]]\nbinding = \"OAUTH_KV\"\nbackend = \"postgres\"\n",
            directory: FileManager.default.temporaryDirectory
        )
        WorkerCommand.kvBackends.withLock { $0 = [] }
        #expect {
            try WorkerHost(config: config, secrets: [:], varOverrides: [:], logger: Logger(label: "test"))
        } throws: { error in "\(error)".contains("import WorkersKVPostgres") && "\(error)".contains("kvBackends: [.postgres]") }
    }

    @Test("a registered backend opens its bindings with the URL secret it names, from .dev.vars or the environment")
    func registeredBackendGetsItsSecret() throws {
        let config = try WorkerConfig.parse(
            "[[kv_namespaces]]\nbinding = \"OAUTH_KV\"\nbackend = \"postgres\"\nurl_secret = \"MY_DB\"\n",
            directory: FileManager.default.temporaryDirectory
        )
        final class Seen: Sendable { let url = Mutex<String?>(nil) }
        let seen = Seen()
        let factory = KVBackendFactory(name: "postgres") { binding in
            seen.url.withLock { $0 = binding.urlSecret.flatMap(binding.secret) }
            return MemoryKV()
        }
        WorkerCommand.kvBackends.withLock { $0 = [factory] }
        defer { WorkerCommand.kvBackends.withLock { $0 = [] } }
        let host = try WorkerHost(config: config, secrets: ["MY_DB": "postgres://x@db/app"], varOverrides: [:], logger: Logger(label: "test"))
        #expect(host.env.kv("OAUTH_KV") is MemoryKV)
        #expect(seen.url.withLock { $0 } == "postgres://x@db/app")
    }
}
