import Foundation
import Testing
import WorkersKV
import WorkersRuntime
import WorkersTesting

@_spi(Benchmarking) import WorkersKVPostgres

/// What is particular to PostgresKV: the table, namespaces sharing it, the sweep, the query plans. The Workers KV
/// behaviour itself is the shared suite in WorkersKVTests, which runs against PostgresKV too.
@Suite("PostgresKV", .requiresPostgres)
struct PostgresKVTests {
    @Test("one table for every namespace, keys as bytea, a partial expiration index, created on first use; pg_dump shows it")
    func schema() async throws {
        let (server, url, database) = try freshDatabase()
        let kv = try PostgresKV(url: url, namespace: "OAUTH_KV", configuration: .patient)
        #expect(try server.psql("SELECT to_regclass('workers_kv') IS NULL", database: database) == "t\n")
        try await kv.put("client:abc", "v", metadata: ["m": 1])
        let columns = try server.psql(
            "SELECT column_name || ' ' || data_type || ' ' || is_nullable FROM information_schema.columns "
                + "WHERE table_name = 'workers_kv' ORDER BY ordinal_position",
            database: database
        )
        #expect(columns == "namespace text NO\nkey bytea NO\nvalue bytea NO\nmetadata text YES\nexpiration bigint YES\n")
        let indexes = try server.psql("SELECT indexdef FROM pg_indexes WHERE tablename = 'workers_kv' ORDER BY indexname", database: database)
        #expect(indexes.contains("workers_kv_expiration ON public.workers_kv USING btree (namespace, expiration) WHERE (expiration IS NOT NULL)"))
        #expect(indexes.contains("workers_kv_pkey ON public.workers_kv USING btree (namespace, key)"))

        let dump = try server.dump(table: "workers_kv", database: database)
        #expect(dump.contains("CREATE TABLE public.workers_kv"))
        #expect(dump.contains("OAUTH_KV\t\\\\x636c69656e743a616263\t\\\\x76\t{\"m\":1}\t\\N"))
        await kv.close()
    }

    @Test("processes starting at once on an empty database all find or create the table")
    func concurrentFirstUse() async throws {
        let (server, url, database) = try freshDatabase()
        let namespaces = try (0..<6).map { try PostgresKV(url: url, namespace: "ns\($0)", configuration: .patient) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for kv in namespaces { group.addTask { try await kv.put("k", kv.namespace) } }
            try await group.waitForAll()
        }
        #expect(try server.psql("SELECT count(*) FROM workers_kv", database: database) == "6\n")
        for kv in namespaces {
            #expect(try await kv.get("k") == kv.namespace)
            await kv.close()
        }
    }

    @Test("namespaces sharing the table never see or touch each other's keys")
    func namespaceIsolation() async throws {
        let (_, url, _) = try freshDatabase()
        let clock = TestClock()
        let a = try PostgresKV(url: url, namespace: "A", configuration: .patient, now: clock.nowFunction)
        let b = try PostgresKV(url: url, namespace: "B", configuration: .patient, now: clock.nowFunction)
        for key in ["token:1", "token:2", "grant"] {
            try await a.put(key, "a:" + key)
            try await b.put(key, "b:" + key)
        }
        try await a.put("expiring", "a", expirationTtl: 60)
        try await b.put("expiring", "b", expirationTtl: 60)
        #expect(try await a.get("grant") == "a:grant")
        #expect(try await b.list().keys.map(\.name) == ["expiring", "grant", "token:1", "token:2"])

        #expect(try await a.commit([.deletePrefix("token:"), .delete(key: "grant")], ifUnchanged: ["grant": Data("a:grant".utf8)]))
        #expect(try await a.list().keys.map(\.name) == ["expiring"])
        #expect(try await b.list().keys.map(\.name) == ["expiring", "grant", "token:1", "token:2"])
        #expect(try await !b.commit([.delete(key: "grant")], ifUnchanged: ["grant": Data("a:grant".utf8)]), "B's grant holds B's bytes")

        clock.advance(by: 61)
        #expect(try await a.sweepExpired() == 1)
        #expect(try await b.getEntry("token:1") != nil)
        #expect(try await b.sweepExpired() == 1)
        try await a.delete("token:1")
        #expect(try await b.get("token:1") == "b:token:1")
        await a.close()
        await b.close()
    }

    @Test("keys, values and namespace names are bound as parameters, never spliced into SQL")
    func hostileText() async throws {
        let (server, url, database) = try freshDatabase()
        let kv = try PostgresKV(url: url, namespace: "o'brien \"ns\"; --", configuration: .patient)
        let key = "'); DROP TABLE workers_kv; --"
        let value = Data("\\x00 ' \" \u{0} $1 E'\\\\'".utf8)
        try await kv.put(key, value, metadata: ["q": "'; DELETE FROM workers_kv; --"])
        #expect(try await kv.get(key, as: Data.self) == value)
        #expect(try await kv.getWithMetadata(key)?.metadata == ["q": "'; DELETE FROM workers_kv; --"])
        #expect(try await kv.list(prefix: "');").keys.map(\.name) == [key])
        #expect(try server.psql("SELECT count(*) FROM workers_kv", database: database) == "1\n")
        await kv.close()
    }

    @Test("sweepExpired deletes this namespace's expired rows in batches, and the periodic sweep runs when configured")
    func sweep() async throws {
        let (server, url, database) = try freshDatabase()
        let clock = TestClock()
        let kv = try PostgresKV(url: url, namespace: "sweep", configuration: .patient, now: clock.nowFunction)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for chunk in 0..<10 {
                group.addTask {
                    for index in 0..<250 { try await kv.put("e\(chunk):\(index)", "v", expirationTtl: 60) }
                }
            }
            try await group.waitForAll()
        }
        for index in 0..<10 { try await kv.put("kept\(index)", "v") }
        #expect(try await kv.sweepExpired() == 0)
        clock.advance(by: 60)
        #expect(try await kv.sweepExpired() == 2500, "three batches of at most 1000")
        #expect(try server.psql("SELECT count(*) FROM workers_kv", database: database) == "10\n")
        await kv.close()

        let periodic = try PostgresKV(
            url: url, namespace: "periodic", configuration: .init(sweepInterval: .milliseconds(100), operationTimeout: .seconds(60)), now: clock.nowFunction
        )
        try await periodic.put("soon", "v", expirationTtl: 60)
        clock.advance(by: 60)
        let swept = await eventually(within: .seconds(20)) {
            (try? server.psql("SELECT count(*) FROM workers_kv WHERE namespace = 'periodic'", database: database)) == "0\n"
        }
        #expect(swept)
        await periodic.close()
    }

    @Test("get, list and sweep are index scans, also as generic plans")
    func queryPlans() async throws {
        let (server, url, database) = try freshDatabase()
        let kv = try PostgresKV(url: url, namespace: "plans", configuration: .patient)
        try await kv.put("k", "v")
        await kv.close()
        let settings = "SET enable_seqscan = off; SET plan_cache_mode = force_generic_plan;"
        let get = try server.psql(
            settings + "PREPARE s(text, bytea, bigint) AS \(PostgresKVSchema.Get.sql); EXPLAIN EXECUTE s('plans', 'k', 0)",
            database: database
        )
        #expect(get.contains("Index Scan using workers_kv_pkey"), "\(get)")
        let list = try server.psql(
            settings + "PREPARE s(text, bytea, bytea, bigint, bigint) AS \(PostgresKVSchema.list); "
                + "EXPLAIN EXECUTE s('plans', 'a', 'b', 0, 10)",
            database: database
        )
        #expect(list.contains("Index Scan using workers_kv_pkey") && list.contains("key >= $2") && !list.contains("Sort"), "\(list)")
        let sweep = try server.psql(
            settings + "PREPARE s(text, bigint, bigint) AS \(PostgresKVSchema.sweep); EXPLAIN EXECUTE s('plans', 0, 1000)",
            database: database
        )
        #expect(sweep.contains("workers_kv_expiration"), "\(sweep)")
    }
}
