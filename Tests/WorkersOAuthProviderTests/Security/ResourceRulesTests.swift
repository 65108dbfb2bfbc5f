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

    @Test("the string fast path answers yes only where parsing both URLs does, and covers paths below")
    func audienceFastPathAgreesWithParsing() {
        let audiences = ["https://mcp.example.com/mcp", "https://mcp.example.com/mcp/", "https://mcp.example.com",
                         "https://mcp.example.com/mcp?tenant=1", "http://127.0.0.1:8787/mcp"]
        let urls = ["https://mcp.example.com/mcp", "https://mcp.example.com/mcp/json", "https://mcp.example.com/mcp?x=1",
                    "https://mcp.example.com/mcpx", "https://mcp.example.com/mcp-other", "https://mcp.example.com/",
                    "https://mcp.example.com/mcp/?tenant=1", "https://mcp.example.com/mcp?tenant=2",
                    "https://mcp.example.com.evil.test/mcp", "https://MCP.example.com/mcp/json",
                    "http://127.0.0.1:8787/mcp/a/b", "http://127.0.0.1:87870/mcp"]
        for audience in audiences {
            for url in urls where ResourceRules.spellsOut(audience, url) {
                #expect(ResourceRules.parsedURLsMatch(URL(string: url)!, audience), "\(url) under \(audience)")
            }
        }
        #expect(ResourceRules.spellsOut("https://mcp.example.com/mcp", "https://mcp.example.com/mcp/json"))
        #expect(ResourceRules.spellsOut("https://mcp.example.com/mcp", "https://mcp.example.com/mcp?x=1"))
        #expect(!ResourceRules.spellsOut("https://mcp.example.com/mcp", "https://mcp.example.com/mcpx"))
        #expect(!ResourceRules.spellsOut("https://mcp.example.com/mcp?tenant=1", "https://mcp.example.com/mcp?tenant=12"))
        // What the fast path leaves alone is still decided by parsing.
        #expect(ResourceRules.audienceMatches(URL(string: "https://MCP.example.com/mcp/json")!, "https://mcp.example.com/mcp"))
        #expect(!ResourceRules.audienceMatches(URL(string: "https://mcp.example.com/mcp?tenant=2")!, "https://mcp.example.com/mcp?tenant=1"))
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
        #expect(try ResourceRules.resolve(requested: [], granted: nil, configured: [configured], origin: "https://mcp.example.com") == [configured])
        #expect(throws: OAuthError.self) {
            try ResourceRules.resolve(requested: ["https://mcp.example.com/other"], granted: nil, configured: [configured], origin: "https://mcp.example.com")
        }
        #expect(throws: OAuthError.self) {
            try ResourceRules.resolve(requested: [], granted: ["https://mcp.example.com/other"], configured: [configured], origin: "https://mcp.example.com")
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
