import Foundation
import Testing
import WorkersKV
import WorkersKVPostgres
import WorkersTesting

@Suite("KVBackendFactory.postgres")
struct KVBackendFactoryPostgresTests {
    private let state = URL(fileURLWithPath: "/tmp/unused-state", isDirectory: true)

    @Test("without the URL secret it refuses to open, naming the secret")
    func missingSecret() {
        #expect(KVBackendFactory.postgres.name == "postgres")
        let binding = KVBackendFactory.Binding(binding: "OAUTH_KV", storageDirectory: state)
        let error = #expect(throws: PostgresKVConfigurationError.self) { try KVBackendFactory.postgres.open(binding) }
        #expect(error?.message.contains("DATABASE_URL") == true)
        #expect(error?.message.contains("OAUTH_KV") == true)

        let named = KVBackendFactory.Binding(binding: "OAUTH_KV", urlSecret: "KV_DATABASE_URL", storageDirectory: state)
        let namedError = #expect(throws: PostgresKVConfigurationError.self) { try KVBackendFactory.postgres.open(named) }
        #expect(namedError?.message.contains("KV_DATABASE_URL") == true)
    }

    @Test("opens the namespace named by the id, else by the binding, at the URL in the secret", .requiresPostgres)
    func opens() async throws {
        let (server, url, database) = try freshDatabase()
        let secret: @Sendable (String) -> String? = { $0 == "KV_DATABASE_URL" ? url : nil }
        let byID = try KVBackendFactory.postgres.open(
            .init(binding: "OAUTH_KV", id: "0f2ac74b", urlSecret: "KV_DATABASE_URL", storageDirectory: state, secret: secret)
        )
        let byName = try KVBackendFactory.postgres.open(
            .init(binding: "OAUTH_KV", urlSecret: "KV_DATABASE_URL", storageDirectory: state, secret: secret)
        )
        #expect((byID as? PostgresKV)?.namespace == "0f2ac74b")
        #expect((byName as? PostgresKV)?.namespace == "OAUTH_KV")
        // The factory's namespaces have the default 10 s timeout, which connecting can exceed while every suite of
        // the process starts at once: retry until they work.
        #expect(await eventually(within: .seconds(60)) { (try? await byID.put("k", "by id")) != nil })
        #expect(await eventually(within: .seconds(60)) { (try? await byName.put("k", "by name")) != nil })
        #expect(try server.psql("SELECT namespace || '=' || convert_from(value, 'UTF8') FROM workers_kv ORDER BY 1", database: database)
            == "0f2ac74b=by id\nOAUTH_KV=by name\n")
        await (byID as? PostgresKV)?.close()
        await (byName as? PostgresKV)?.close()
    }
}
