import Foundation
import HTTPTypes
import Testing
import WorkersRuntime

@testable import GitHubMCP

@Suite("ConsentPage")
struct ConsentPageTests {
    @Test("escapes a hostile client name, URI and scopes, and forbids framing")
    func escapesHostileInput() async throws {
        let page = ConsentPage(
            clientName: "<script>alert('x')</script>",
            clientID: "c\"1",
            clientURI: "javascript:alert(1)\"><img src=x>",
            redirectURI: "https://client.example:8443/cb?a=<b>",
            scopes: ["read", "<i>admin</i>"],
            consentToken: "tok\"en",
            upstreamName: "GitHub"
        )
        let response = page.response
        let html = try await response.body.text()
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(!html.contains("<img src=x>"))
        #expect(!html.contains("<i>admin</i>"))
        #expect(html.contains(#"value="tok&quot;en""#))
        #expect(html.contains("client.example:8443"))
        #expect(response.header("X-Frame-Options") == "DENY")
        #expect(response.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
        #expect(response.header("Cache-Control") == "no-store")
    }

    @Test("a metadata-document client: its id's host leads, its name is what it says, and loopback-only redirects warn")
    func metadataDocumentClient() async throws {
        var page = ConsentPage(
            clientName: "Claude <Desktop>", clientID: "https://client.example.com/oauth/client.json",
            metadataDocumentHost: "client.example.com", redirectsOnlyToLoopback: true,
            redirectURI: "http://127.0.0.1:33418/callback", scopes: ["mcp"], consentToken: "t", upstreamName: "GitHub"
        )
        var html = try await page.response.body.text()
        #expect(html.contains("<strong>client.example.com</strong> says it is <strong>Claude &lt;Desktop&gt;</strong>"))
        #expect(html.contains("http://127.0.0.1:33418"))
        #expect(html.contains("loopback address"))
        page.redirectsOnlyToLoopback = false
        page.redirectURI = "https://client.example.com/callback"
        html = try await page.response.body.text()
        #expect(!html.contains("loopback address"))
        #expect(html.contains("https://client.example.com"))
        let registered = ConsentPage(
            clientName: "App", clientID: "abc", redirectURI: "https://app.example/cb", scopes: [], consentToken: "t", upstreamName: "GitHub"
        )
        let plain = try await registered.response.body.text()
        #expect(plain.contains("<strong>App</strong> wants to use this MCP server as you"))
        #expect(!plain.contains("says it is"))
    }
}
