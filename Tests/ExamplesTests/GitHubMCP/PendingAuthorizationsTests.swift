import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersRuntime

@testable import GitHubMCP

@Suite("PendingAuthorizations")
struct PendingAuthorizationsTests {
    func request(state: String, cookie: String?) throws -> Request {
        try Request(url: "http://localhost:8787/callback?state=\(state)", headers: cookie.map { [.cookie: $0] } ?? [:])
    }

    @Test("a state is taken once, only by the browser holding its cookie; KV keeps only its hash")
    func stateBinding() async throws {
        let kv = MemoryKV()
        let pending = PendingAuthorizations(kv: kv, secure: false)
        let (token, cookie) = try await pending.start(.state, payload: ["clientId": "c1"])
        #expect(cookie.name == "mcp-oauth-state")
        #expect(cookie.value != token)
        let keys = try await kv.list(prefix: nil).keys.map(\.name)
        #expect(keys.count == 1)
        #expect(!keys[0].contains(token))

        #expect(try await pending.take(.state, token: token, request: request(state: token, cookie: nil)) == nil)
        #expect(try await pending.take(.state, token: token, request: request(state: token, cookie: "mcp-oauth-state=wrong")) == nil)
        let (otherToken, otherCookie) = try await pending.start(.state, payload: ["clientId": "c2"])
        let crossed = "mcp-oauth-state=\(otherCookie.value)"
        #expect(try await pending.take(.state, token: token, request: request(state: token, cookie: crossed)) == nil)

        let bound = "\(cookie.name)=\(cookie.value)"
        #expect(try await pending.take(.state, token: token, request: request(state: token, cookie: bound)) == ["clientId": "c1"])
        #expect(try await pending.take(.state, token: token, request: request(state: token, cookie: bound)) == nil)
        #expect(try await pending.take(.consent, token: otherToken, request: request(state: otherToken, cookie: crossed)) == nil)
    }
}
