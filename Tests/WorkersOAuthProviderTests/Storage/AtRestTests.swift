import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime

/// A stolen database must yield no token, code, client secret or props. This runs complete flows over a KV that
/// records every byte written (keys, values, metadata), then searches those bytes for every secret issued.
/// (Re-run on SQLiteKV / FileKV once they exist: read the database file / directory instead.)
@Suite struct AtRestTests {
    @Test func noIssuedSecretOrPlaintextPropsIsEverWritten() async throws {
        let clock = TestClock()
        let kv = RecordingKV(wrapping: MemoryKV(now: clock.function))
        let harness = try ProviderHarness(clock: clock, kv: kv)
        let propsMarker = "props-marker-7f3a9c-never-stored-in-plaintext"
        var secrets: [String] = []

        let registration = try #require(
            try await harness.client.postJSON("/oauth/register", ["redirect_uris": [.string(ProviderHarness.callback)]]).json
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

        let written = kv.allWrittenBytes
        #expect(written.count > 10)
        for secret in secrets {
            let full = Data(secret.utf8)
            // The random part alone must not appear either (keys legitimately contain userId and grantId).
            let randomPart = Data((secret.split(separator: ":").last.map(String.init) ?? secret).utf8)
            for record in written {
                #expect(record.range(of: full) == nil, "a secret was written in plaintext")
                #expect(record.range(of: randomPart) == nil, "a secret's random part was written")
            }
        }
        for record in written {
            #expect(record.range(of: Data(propsMarker.utf8)) == nil, "props were written in plaintext")
        }
    }
}
