import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WorkersHummingbird
import WorkersKV
import WorkersRuntime

@testable import HummingbirdApp

extension OAuthProviderMiddlewareTests {
    @Test("a protected route of BasicOAuthRequestContext sees the token's client, user and scopes")
    func tokenInfo() async throws {
        let env = Env(bindings: ["OAUTH_KV": MemoryKV()])
        let router = try HummingbirdApp.router(env: env)
        router.get("/api/token") { _, context -> String in
            guard let token = context.oauthToken else { return "none" }
            return "\(token.subject ?? "-") via \(token.clientID.isEmpty ? "-" : "a client") scopes=\(token.scopes.joined(separator: ","))"
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let token = try await HummingbirdAppTests.signIn(client, as: "bob")
            let answer = try await client.execute(uri: "/api/token", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(answer.status == .ok)
            #expect(String(buffer: answer.body).hasPrefix("bob via a client scopes="))
        }
    }
}
