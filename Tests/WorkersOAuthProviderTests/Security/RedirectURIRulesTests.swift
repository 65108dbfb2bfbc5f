import Testing

@testable import WorkersOAuthProvider

@Suite struct RedirectURIRulesTests {
    @Test(arguments: ["javascript:alert(1)", "DATA:text/html,x", "vbscript:x", "file:///etc/passwd", "mailto:a@b", "blob:x", "no-scheme", "https://app.example.com/cb#frag", "https://a.example/\u{0}"])
    func rejectsDangerousOrMalformedURIs(uri: String) {
        #expect(!RedirectURIRules.isAcceptable(uri))
    }

    @Test func acceptsOrdinaryAndNativeAppURIs() {
        #expect(RedirectURIRules.isAcceptable("https://app.example.com/cb"))
        #expect(RedirectURIRules.isAcceptable("com.example.app:/oauth"))
    }

    @Test func nonLoopbackURIsMatchExactly() {
        #expect(RedirectURIRules.matches("https://app.example.com/cb", registered: "https://app.example.com/cb"))
        #expect(!RedirectURIRules.matches("https://app.example.com/cb/", registered: "https://app.example.com/cb"))
        #expect(!RedirectURIRules.matches("https://app.example.com:8443/cb", registered: "https://app.example.com/cb"))
    }

    @Test func loopbackURIsMatchOnAnyPort() {
        #expect(RedirectURIRules.matches("http://127.0.0.1:51234/cb", registered: "http://127.0.0.1/cb"))
        #expect(RedirectURIRules.matches("http://localhost:9999/cb", registered: "http://localhost:3000/cb"))
        #expect(RedirectURIRules.matches("http://[::1]:9/cb", registered: "http://[::1]/cb"))
        #expect(!RedirectURIRules.matches("http://127.0.0.1:5/other", registered: "http://127.0.0.1/cb"))
    }

    @Test func localhostAndIPv4LoopbackNeverMatchEachOther() {
        #expect(!RedirectURIRules.matches("http://localhost:3000/cb", registered: "http://127.0.0.1:3000/cb"))
        #expect(!RedirectURIRules.matches("http://127.0.0.1:3000/cb", registered: "http://localhost:3000/cb"))
        #expect(!RedirectURIRules.matches("http://[::1]:3000/cb", registered: "http://127.0.0.1:3000/cb"))
    }
}
