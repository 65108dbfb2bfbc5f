import Foundation
import HTTPTypes
import Testing

@testable import WorkersServer

@Suite("RequestURLResolver")
struct RequestURLResolverTests {
    func head(_ path: String, authority: String? = "localhost:8787", headers: HTTPFields = [:]) -> HTTPRequest {
        HTTPRequest(method: .get, scheme: nil, authority: authority, path: path, headerFields: headers)
    }

    let resolver = RequestURLResolver(configuration: .init(host: "localhost", port: 8787))

    @Test("builds the URL from Host and the server's scheme")
    func plain() {
        #expect(resolver.url(for: head("/mcp?x=1"))?.absoluteString == "http://localhost:8787/mcp?x=1")
    }

    @Test("refuses a request without Host or with a second Host (RFC 9112 §3.2), even with a public origin")
    func hostRequiredOnce() {
        let origin = RequestURLResolver(configuration: .init(publicOrigin: URL(string: "https://mcp.example.com")))
        let second: HTTPFields = [HTTPField.Name("Host")!: "evil.example"]
        for resolver in [resolver, origin] {
            #expect(resolver.url(for: head("/", authority: nil)) == nil)
            #expect(resolver.url(for: head("/", headers: second)) == nil)
            #expect(resolver.url(for: head("http://other.example/a", authority: nil)) == nil)
        }
        #expect(origin.url(for: head("/a"))?.absoluteString == "https://mcp.example.com/a")
    }

    @Test("reduces absolute-form targets to their path and query")
    func absoluteForm() {
        #expect(resolver.url(for: head("http://other.example/a/b?c=d"))?.absoluteString == "http://localhost:8787/a/b?c=d")
        #expect(resolver.url(for: head("*"))?.absoluteString == "http://localhost:8787/")
    }

    @Test("refuses malformed percent-encoding instead of silently re-encoding the whole target")
    func malformedEncoding() {
        #expect(resolver.url(for: head("/p?a=%zz&b=%E2%9C%93")) == nil)
        #expect(resolver.url(for: head("/p?b=%E2%9C%93"))?.absoluteString == "http://localhost:8787/p?b=%E2%9C%93")
    }

    @Test("refuses Host values that could smuggle userinfo or a path")
    func hostValidation() {
        #expect(resolver.url(for: head("/", authority: "evil.com/@x")) == nil)
        #expect(resolver.url(for: head("/", authority: "a@b.com")) == nil)
        #expect(resolver.url(for: head("/", authority: "[::1]:8787"))?.absoluteString == "http://[::1]:8787/")
        #expect(resolver.url(for: head("/", authority: "mcp_1.Example-host.com:443"))?.absoluteString == "http://mcp_1.Example-host.com:443/")
        for smuggled in ["a b.com", "a%40b.com", "a?b.com", "a#b", "a\\b", "bücher.example", "a\u{00A0}b", "ａ.example", ""] {
            #expect(resolver.url(for: head("/", authority: smuggled)) == nil, "\(smuggled)")
        }
    }
}
