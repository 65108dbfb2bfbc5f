import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

@Suite struct OAuthHelpersTests {
    @Test(arguments: ["al:ice", "", ":"])
    func completeAuthorizationRejectsUserIDsThatWouldBreakTokens(userID: String) async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        let authRequest = try await harness.helpers.parseAuthRequest(try harness.authorizationRequest(client))
        await #expect(throws: OAuthProviderError.self) {
            try await harness.helpers.completeAuthorization(
                CompleteAuthorizationOptions(request: authRequest, userID: userID, scope: [], props: [:])
            )
        }
        #expect(try await harness.kv.list(prefix: "grant:").keys.isEmpty)
    }

    @Test func parseAuthRequestRedirectsErrorsOnlyAfterValidatingTheClient() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        var unknown = try harness.authorizationRequest(client)
        unknown.url = URL(string: unknown.url.absoluteString.replacingOccurrences(of: client.client.clientID, with: "nope"))!
        do {
            _ = try await harness.helpers.parseAuthRequest(unknown)
            Issue.record("expected an error")
        } catch let error as AuthorizationError {
            #expect(error.redirectURI == nil)
            #expect(error.redirectLocation == nil)
        }
        let badType = try harness.authorizationRequest(client, extra: [URLQueryItem(name: "response_type", value: "token")])
        var request = badType
        request.url = URL(string: request.url.absoluteString.replacingOccurrences(of: "response_type=code&", with: ""))!
        do {
            _ = try await harness.helpers.parseAuthRequest(request)
            Issue.record("expected an error")
        } catch let error as AuthorizationError {
            #expect(error.code == .unsupportedResponseType)
            let location = try #require(error.redirectLocation.flatMap(URLComponents.init(string:)))
            #expect(location.host == "app.example.com")
            #expect(location.queryItems?.first { $0.name == "state" }?.value == "xyz")
            #expect(location.queryItems?.first { $0.name == "iss" }?.value == ProviderHarness.origin)
        }
    }

    @Test func completingAuthorizationRevokesOlderGrantsForTheSameClientByDefault() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        let other = try await harness.register()
        let first = try #require(try await harness.issue(client)["access_token"]?.stringValue)
        let unrelated = try #require(try await harness.issue(other)["access_token"]?.stringValue)
        _ = try await harness.authorize(client, revokeExistingGrants: false)
        #expect(try await harness.callAPI(token: first).status == 200)
        _ = try await harness.authorize(client)
        #expect(try await harness.callAPI(token: first).status == 401)
        #expect(try await harness.callAPI(token: unrelated).status == 200)
        #expect(try await harness.helpers.listUserGrants("alice").items.count == 2)
    }

    @Test func grantsCanBeListedAndRevoked() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        let tokens = try await harness.issue(client)
        let grants = try await harness.helpers.listUserGrants("alice")
        let grant = try #require(grants.items.first)
        #expect(grant.clientID == client.client.clientID)
        #expect(grant.scope == ["read", "write"])
        #expect(grant.expiresAt == Int(harness.clock.now.timeIntervalSince1970) + 2_592_000)
        try await harness.helpers.revokeGrant(grant.id, userID: "alice")
        #expect(try await harness.callAPI(token: tokens["access_token"]?.stringValue).status == 401)
        #expect(try await harness.helpers.listUserGrants("alice").items.isEmpty)
    }

    @Test func unwrapTokenDecodesLiveTokensOnly() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        let token = try #require(try await harness.issue(client, props: ["n": 1])["access_token"]?.stringValue)
        let summary = try #require(try await harness.helpers.unwrapToken(token))
        #expect(summary.userID == "alice")
        #expect(summary.clientID == client.client.clientID)
        #expect(summary.props == ["n": 1])
        #expect(try await harness.helpers.unwrapToken("garbage") == nil)
        #expect(try await harness.helpers.unwrapToken(token + "x") == nil)
        harness.clock.advance(by: 3601)
        #expect(try await harness.helpers.unwrapToken(token) == nil)
    }

    @Test func clientsCanBeCreatedListedUpdatedAndDeleted() async throws {
        let harness = try ProviderHarness()
        let confidential = try await harness.register(.clientSecretPost)
        #expect(confidential.clientSecret?.count == 32)
        #expect(confidential.client.clientSecret == nil || confidential.client.clientSecret != confidential.clientSecret)
        let pub = try await harness.register()
        #expect(pub.clientSecret == nil)
        let listed = try await harness.helpers.listClients()
        #expect(Set(listed.items.map(\.clientID)) == [confidential.client.clientID, pub.client.clientID])

        var changed = confidential.client
        changed.clientName = "Renamed"
        let updated = try #require(try await harness.helpers.updateClient(changed))
        #expect(updated.clientSecret == nil)
        #expect(try await harness.helpers.lookupClient(changed.clientID)?.clientName == "Renamed")
        let stillWorks = try await harness.issue(confidential)
        #expect(stillWorks["access_token"] != nil)

        var missing = changed
        missing.clientID = "does-not-exist"
        #expect(try await harness.helpers.updateClient(missing) == nil)
        await #expect(throws: OAuthProviderError.self) {
            try await harness.helpers.createClient(ClientInfo(redirectURIs: ["javascript:alert(1)"]))
        }

        try await harness.helpers.deleteClient(confidential.client.clientID)
        #expect(try await harness.helpers.lookupClient(confidential.client.clientID) == nil)
        #expect(try await harness.callAPI(token: stillWorks["access_token"]?.stringValue).status == 401)
    }

    @Test func purgeCompletesWithACursorOnStoresLargerThanOneBatch() async throws {
        let harness = try ProviderHarness()
        let client = try await harness.register()
        let doomed = try await harness.register()
        for index in 0..<120 {
            _ = try await harness.issue(client, userID: "user\(index)")
        }
        var orphanTokens: [String] = []
        for index in 0..<5 {
            orphanTokens.append(try #require(try await harness.issue(doomed, userID: "zz\(index)")["access_token"]?.stringValue))
        }
        // Orphan the grants by removing the client record behind the helpers' back.
        try await harness.kv.delete("client:\(doomed.client.clientID)")
        var totals = PurgeResult()
        var cursor: String?
        var calls = 0
        repeat {
            let result = try await harness.helpers.purgeExpiredData(PurgeOptions(batchSize: 50, cursor: cursor))
            totals.grantsChecked += result.grantsChecked
            totals.grantsPurged += result.grantsPurged
            totals.tokensChecked += result.tokensChecked
            cursor = result.cursor
            calls += 1
            if result.done { totals.done = true }
        } while !totals.done && calls < 20
        #expect(totals.done)
        #expect(calls > 1)
        #expect(totals.grantsChecked == 125)
        #expect(totals.grantsPurged == 5)
        #expect(totals.tokensChecked == 120)
        for token in orphanTokens { #expect(try await harness.callAPI(token: token).status == 401) }
        #expect(try await harness.kv.list(prefix: "grant:").keys.count == 120)
    }

    @Test func purgeRemovesExpiredGrantsAndOrphanedTokens() async throws {
        let harness = try ProviderHarness { $0.refreshTokenTTL = .seconds(3600) }
        let client = try await harness.register()
        let tokens = try await harness.issue(client)
        let token = try #require(tokens["access_token"]?.stringValue)
        // A token whose grant vanished is an orphan.
        let grant = try #require(try await harness.helpers.listUserGrants("alice").items.first)
        harness.clock.advance(by: 1800)
        _ = try await harness.issue(client, userID: "bob")
        try await harness.kv.delete("grant:alice:\(grant.id)")
        let orphan = try await harness.helpers.purgeExpiredData()
        #expect(orphan.done)
        #expect(orphan.tokensPurged == 1)
        #expect(try await harness.kv.list(prefix: "token:alice:").keys.isEmpty)
        #expect(try await harness.callAPI(token: token).status == 401)
        // A grant past its expiresAt whose KV entry outlived it (a store that does not expire keys itself):
        let bobKey = try #require(try await harness.kv.list(prefix: "grant:bob:").keys.first?.name)
        let bobGrant = try #require(try await harness.kv.getEntry(bobKey))
        try await harness.kv.put(bobKey, bytes: bobGrant.value, options: KVPutOptions())
        harness.clock.advance(by: 3700)
        let expired = try await harness.helpers.purgeExpiredData()
        #expect(expired.grantsPurged == 1)
        #expect(try await harness.kv.list(prefix: "grant:").keys.isEmpty)
    }
}
