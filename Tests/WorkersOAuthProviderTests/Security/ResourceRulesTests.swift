import Foundation
import Testing

@testable import WorkersOAuthProvider

@Suite struct ResourceRulesTests {
    @Test func validatesResourceURIs() {
        #expect(ResourceRules.isValid("https://mcp.example.com/mcp"))
        #expect(!ResourceRules.isValid("https://mcp.example.com/mcp#frag"))
        #expect(!ResourceRules.isValid("ftp://mcp.example.com/"))
        #expect(!ResourceRules.isValid("/relative"))
    }

    @Test func audienceMatchesOnAPathBoundary() {
        let audience = "https://mcp.example.com/mcp"
        #expect(ResourceRules.audienceMatches(URL(string: "https://mcp.example.com/mcp")!, audience))
        #expect(ResourceRules.audienceMatches(URL(string: "https://mcp.example.com/mcp/tools")!, audience))
        #expect(!ResourceRules.audienceMatches(URL(string: "https://mcp.example.com/mcp-other")!, audience))
        #expect(!ResourceRules.audienceMatches(URL(string: "https://evil.example.com/mcp")!, audience))
        #expect(ResourceRules.audienceMatches(URL(string: "https://mcp.example.com/anything")!, "https://mcp.example.com"))
    }

    @Test func resolvesAgainstTheConfiguredResource() throws {
        let configured = "https://mcp.example.com/mcp"
        #expect(try ResourceRules.resolve(requested: [], granted: nil, configured: configured, origin: "https://mcp.example.com") == [configured])
        #expect(throws: OAuthError.self) {
            try ResourceRules.resolve(requested: ["https://mcp.example.com/other"], granted: nil, configured: configured, origin: "https://mcp.example.com")
        }
        #expect(throws: OAuthError.self) {
            try ResourceRules.resolve(requested: [], granted: ["https://mcp.example.com/other"], configured: configured, origin: "https://mcp.example.com")
        }
    }

    @Test func refusesExpansionBeyondTheGrant() throws {
        let granted = ["https://a.example.com/mcp"]
        #expect(try ResourceRules.resolve(requested: [], granted: granted, configured: nil, origin: "https://a.example.com") == granted)
        #expect(try ResourceRules.resolve(requested: granted, granted: granted, configured: nil, origin: "https://a.example.com") == granted)
        #expect(throws: OAuthError.self) {
            try ResourceRules.resolve(requested: ["https://b.example.com/mcp"], granted: granted, configured: nil, origin: "https://a.example.com")
        }
        #expect(try ResourceRules.resolve(requested: [], granted: nil, configured: nil, origin: "https://a.example.com") == nil)
    }
}
