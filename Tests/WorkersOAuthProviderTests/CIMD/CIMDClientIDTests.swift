import Testing

@testable import WorkersOAuthProvider

/// Which client ids are metadata document URLs, and which of those the provider will fetch.
@Suite("CIMD client ids")
struct CIMDClientIDTests {
    @Test("an https URL with a path is a metadata URL; anything else is an ordinary client id", arguments: [
        ("https://client.example.com/client.json", true), ("https://client.example.com/", true),
        ("HTTPS://client.example.com/a", true), ("https://client.example.com/a?x=1", true),
        ("https://client.example.com", false), ("https://client.example.com?x=1", false), ("http://client.example.com/a", false),
        ("abcdef0123456789", false), ("urn:example:client", false), ("https:/client.example.com/a", false),
    ])
    func shape(id: String, isURL: Bool) {
        #expect(CIMDClientID.isMetadataURL(id) == isURL)
    }

    @Test("accepts a plain https document URL")
    func acceptsPlain() {
        #expect(CIMDClientID.problem("https://client.example.com/oauth/client.json") == nil)
        #expect(CIMDClientID.problem("https://client.example.com:8443/a/b%20c.json?v=2") == nil)
    }

    @Test("refuses whitespace, control characters, backslashes, userinfo, fragments and dot segments", arguments: [
        (" https://client.example.com/a", "whitespace"), ("https://client.example.com/a ", "whitespace"),
        ("https://client.example.com/a b", "whitespace"), ("https://client.example.com/a\u{7}", "whitespace"),
        ("https://client.example.com/a\u{85}", "whitespace"), ("https://client.example.com\\a", "whitespace"),
        ("https://user@client.example.com/a", "userinfo"), ("https://user:pw@client.example.com/a", "userinfo"),
        ("https://client.example.com/a#frag", "fragment"),
        ("https://client.example.com/./a", "dot"), ("https://client.example.com/a/../b", "dot"),
        ("https://client.example.com/%2e%2E/b", "dot"), ("https://client.example.com/a/%2e", "dot"),
        ("https://client.example.com/a%zz", "percent"),
    ])
    func refuses(id: String, kind: String) throws {
        let problem = try #require(CIMDClientID.problem(id), "\(id) must be refused")
        #expect(problem.lowercased().contains(kind.lowercased()), "\(problem)")
    }
}
