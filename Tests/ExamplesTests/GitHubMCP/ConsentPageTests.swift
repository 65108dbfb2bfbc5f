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
}
