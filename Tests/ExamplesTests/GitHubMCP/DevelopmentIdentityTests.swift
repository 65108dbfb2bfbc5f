import Foundation
import HTTPTypes
import NIOCore
import Testing
import WorkersRuntime

@testable import GitHubMCP

@Suite("DevelopmentIdentity")
struct DevelopmentIdentityTests {
    @Test("serves the login page under /__dev/github and answers the server's GitHub calls in-process")
    func offlineFlow() async throws {
        let development = DevelopmentIdentity()
        let env = development.install(into: Env())
        #expect(DevelopmentIdentity.isActive(in: env))
        let github = try GitHubClient(env: env)
        let origin = "http://localhost:8787"
        let authorize = github.authorizeURL(
            redirectURI: origin + "/callback", state: "st", scope: "read:user",
            browserBase: DevelopmentIdentity.browserBase(origin: origin)
        )
        #expect(authorize.absoluteString.hasPrefix(origin + "/__dev/github/login/oauth/authorize?"))

        let page = try #require(try await development.handle(Request(url: authorize), env: env, ctx: ExecutionContext()))
        #expect(page.status == .ok)
        #expect(try await page.body.text().contains("Development identity"))

        let form = URLEncodedForm([
            (name: "client_id", value: DevelopmentIdentity.clientID), (name: "redirect_uri", value: origin + "/callback"),
            (name: "state", value: "st"), (name: "login", value: "dev-user"), (name: "decision", value: "authorize"),
        ])
        let approve = Request(
            method: .post, url: URL(string: origin + "/__dev/github/login/oauth/authorize")!,
            headers: [.contentType: "application/x-www-form-urlencoded"], body: .init(string: form.encoded)
        )
        let redirect = try #require(try await development.handle(approve, env: env, ctx: ExecutionContext()))
        let location = try #require(redirect.header("Location").flatMap(URLComponents.init(string:)))
        #expect(location.path == "/callback")
        let code = try #require(location.queryItems?.first { $0.name == "code" }?.value)

        let token = try await github.exchangeCode(code, redirectURI: origin + "/callback")
        #expect(try await github.user(token: token).login == "dev-user")
        #expect(try await development.handle(try Request(url: origin + "/mcp"), env: env, ctx: ExecutionContext()) == nil)

        // Not an open redirector: the login page only sends the browser back to this server's /callback.
        let elsewhere = github.authorizeURL(
            redirectURI: "https://evil.example/callback", state: "st", scope: "read:user",
            browserBase: DevelopmentIdentity.browserBase(origin: origin)
        )
        let refused = try #require(try await development.handle(Request(url: elsewhere), env: env, ctx: ExecutionContext()))
        #expect(refused.status == .badRequest)
    }
}
