import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersKVPostgres
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// A stolen database must yield no token, code, client secret or props. These run complete flows (DCR, confidential
/// and public clients, secret rotation, code exchange, API calls, refresh), then search what was stored for every
/// secret issued: every byte written through the KV API, and every byte of the SQLite files and FileKV directory.
@Suite struct AtRestTests {
    static let propsMarker = "props-marker-7f3a9c-never-stored-in-plaintext"

    @Test func noIssuedSecretOrPlaintextPropsIsEverWritten() async throws {
        let clock = TestClock()
        let kv = RecordingKV(wrapping: MemoryKV(now: clock.nowFunction))
        let harness = try ProviderHarness(clock: clock, kv: kv)
        let secrets = try await Self.runFlows(harness)
        let written = kv.allWrittenBytes
        #expect(written.count > 10)
        Self.expectNoSecrets(secrets, in: written)
    }

    @Test("every byte of the SQLite database and the FileKV directory is free of secrets", arguments: ["sqlite", "file"])
    func noSecretOnDisk(backend: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("at-rest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = TestClock()
        let sqlite = backend == "sqlite" ? try SQLiteKV(path: directory.appendingPathComponent("oauth.sqlite"), now: clock.nowFunction) : nil
        let kv: any KVNamespace = try sqlite ?? FileKV(directory: directory, now: clock.nowFunction)
        let secrets = try await Self.runFlows(try ProviderHarness(clock: clock, kv: kv))
        try sqlite?.close()
        var files: [Data] = []
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            if (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
                files.append(try Data(contentsOf: url))
            }
        }
        #expect(files.map(\.count).reduce(0, +) > 4096, "the store holds the flows' records")
        // The store does hold the records: a client id, stored in plaintext by design, is found on disk.
        #expect(files.contains { $0.range(of: Data("client:".utf8)) != nil || $0.range(of: Data("client%3A".utf8)) != nil })
        Self.expectNoSecrets(secrets, in: files)
    }

    @Test("pg_dump of the PostgreSQL table, its bytea columns decoded, is free of secrets", .requiresPostgres)
    func noSecretInPostgres() async throws {
        let server = try PostgresServer.shared()
        let database = "at_rest_" + UUID().uuidString.prefix(8).lowercased()
        let url = try server.createDatabase(database)
        let clock = TestClock()
        let kv = try PostgresKV(url: url, namespace: "OAUTH_KV", configuration: .init(operationTimeout: .seconds(60)), now: clock.nowFunction)
        let secrets = try await Self.runFlows(try ProviderHarness(clock: clock, kv: kv))
        await kv.close()
        let dump = try server.dump(database: database)
        // Keys and values are bytea, which pg_dump writes as \x<hex>: scan the dump and every column it decodes to.
        let columns = Self.byteaColumns(in: dump)
        #expect(columns.map(\.count).reduce(0, +) > 4096, "the table holds the flows' records")
        #expect(columns.contains { $0.starts(with: Data("client:".utf8)) }, "client records are in the dump")
        Self.expectNoSecrets(secrets, in: [Data(dump.utf8)] + columns)
    }

    /// The bytes of every `\x…` hex literal in a pg_dump.
    static func byteaColumns(in dump: String) -> [Data] {
        var columns: [Data] = []
        var rest = Substring(dump)
        while let start = rest.range(of: "\\x") {
            let hex = rest[start.upperBound...].prefix { $0.isHexDigit }
            var bytes = Data(capacity: hex.count / 2)
            var index = hex.startIndex
            while let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex), index < hex.endIndex {
                if let byte = UInt8(hex[index..<next], radix: 16) { bytes.append(byte) }
                index = next
            }
            columns.append(bytes)
            rest = rest[hex.endIndex...]
        }
        return columns
    }

    static func expectNoSecrets(_ secrets: [String], in records: [Data]) {
        for secret in secrets {
            let full = Data(secret.utf8)
            // The random part alone must not appear either (keys legitimately contain userId and grantId).
            let randomPart = Data((secret.split(separator: ":").last.map(String.init) ?? secret).utf8)
            for record in records {
                #expect(record.range(of: full) == nil, "a secret was written in plaintext")
                #expect(record.range(of: randomPart) == nil, "a secret's random part was written")
            }
        }
        for record in records {
            #expect(record.range(of: Data(propsMarker.utf8)) == nil, "props were written in plaintext")
        }
    }

    /// Runs the flows and returns every secret they issued.
    static func runFlows(_ harness: ProviderHarness) async throws -> [String] {
        let propsMarker = Self.propsMarker
        var secrets: [String] = []

        let registration = try #require(
            try await harness.client.postJSON("/oauth/register", ["redirect_uris": [.string(ProviderHarness.callback)], "grant_types": ["authorization_code", "refresh_token"]]).json
        )
        let registeredSecret = try #require(registration["client_secret"]?.stringValue)
        secrets.append(registeredSecret)
        let dcrClient = RegisteredClient(
            client: try #require(try await harness.helpers.lookupClient(registration["client_id"]!.stringValue!)),
            clientSecret: registeredSecret
        )
        let confidential = try await harness.register(.clientSecretPost)
        secrets.append(try #require(confidential.clientSecret))
        let updated = try #require(try await harness.helpers.updateClient(confidential.client, newSecret: "rotated-secret-value-123456789"))
        secrets.append("rotated-secret-value-123456789")
        let pub = try await harness.register()

        for client in [dcrClient, updated, pub] {
            let code = try await harness.authorize(client, props: ["marker": .string(propsMarker)])
            secrets.append(code)
            let tokens = try #require(try await harness.exchange(client, code: code).json)
            let access = try #require(tokens["access_token"]?.stringValue)
            let refresh = try #require(tokens["refresh_token"]?.stringValue)
            secrets += [access, refresh]
            #expect(try await harness.callAPI(token: access).json?["props"]?["marker"]?.stringValue == propsMarker)
            let rotated = try #require(try await harness.token(client, [("grant_type", "refresh_token"), ("refresh_token", refresh)]).json)
            secrets += [rotated["access_token"]!.stringValue!, rotated["refresh_token"]!.stringValue!]
        }

        return secrets
    }
}
