import Foundation
import HTTPTypes
import NIOCore
import Testing
import WorkersRuntime

@Suite("Request")
struct RequestTests {
    @Test("query parameters decode like URLSearchParams, repeated names kept")
    func query() throws {
        let request = try Request(url: "https://example.com/a%20b/c?x=1+2&y=%E2%9C%93&x=3&flag")
        #expect(request.path == "/a%20b/c")
        #expect(request.query("x") == "1 2")
        #expect(request.searchParams.values("x") == ["1 2", "3"])
        #expect(request.query("y") == "✓")
        #expect(request.query("flag") == "")
        #expect(request.query("missing") == nil)
        #expect(request.origin == "https://example.com")
    }

    @Test(
        "path is the percent-encoded path, `/` when empty, like `new URL(url).pathname`",
        arguments: [
            ("https://example.com", "/"),
            ("https://example.com?x=1", "/"),
            ("https://example.com/", "/"),
            ("http://example.com:8080/mcp/sub?x=/y#frag", "/mcp/sub"),
            ("https://example.com/a%2Fb/%E2%9C%93;p=1", "/a%2Fb/%E2%9C%93;p=1"),
            ("https://user:pw@example.com//double//slash/", "//double//slash/"),
            ("http://[::1]:8787/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource/mcp"),
        ]
    )
    func path(url: String, expected: String) throws {
        let request = try Request(url: url)
        #expect(request.path == expected)
        let components = try #require(URLComponents(url: request.url, resolvingAgainstBaseURL: false))
        #expect(request.path == (components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath))
    }

    @Test("headers are case-insensitive and repeated values join with a comma")
    func headers() throws {
        var fields = HTTPFields()
        fields.append(HTTPField(name: .accept, value: "text/html"))
        fields.append(HTTPField(name: .accept, value: "application/json"))
        fields[.contentType] = "Application/JSON; charset=utf-8"
        let request = try Request(url: "http://localhost/", headers: fields)
        #expect(request.header("ACCEPT") == "text/html, application/json")
        #expect(request.mediaType == "application/json")
        #expect(request.header("x-missing") == nil)
    }

    @Test("bodies read as text, JSON and forms; malformed form encoding is an error")
    func bodies() throws {
        struct Payload: Decodable, Equatable { let name: String; let count: Int }
        let json = try Request(method: .post, url: "http://localhost/", body: #"{"name":"a","count":2}"#)
        #expect(try json.json(as: Payload.self) == Payload(name: "a", count: 2))
        #expect(json.text == #"{"name":"a","count":2}"#)

        let form = try Request(method: .post, url: "http://localhost/", body: "a=1&b=x+y&b=%2B&empty=")
        let parsed = try form.form()
        #expect(parsed["a"] == "1")
        #expect(parsed.values("b") == ["x y", "+"])
        #expect(parsed["empty"] == "")
        #expect(parsed.repeatedNames == ["b"])

        let bad = try Request(method: .post, url: "http://localhost/", body: "a=%E2%28")
        #expect(throws: URLEncodedForm.ParseError.self) { try bad.form() }
        let truncated = try Request(method: .post, url: "http://localhost/", body: "a=%4")
        #expect(throws: URLEncodedForm.ParseError.self) { try truncated.form() }
    }

    @Test("form encoding round-trips")
    func formRoundTrip() throws {
        let form = URLEncodedForm([("redirect_uri", "https://a.example/cb?x=1&y=2"), ("scope", "mcp:read mcp:write"), ("ü", "✓")])
        #expect(try URLEncodedForm(parsing: form.encoded) == form)
        #expect(form.encoded.contains("scope=mcp%3Aread+mcp%3Awrite"))
    }

    @Test("cookies parse from every Cookie field, first name wins, quotes stripped")
    func cookies() throws {
        var fields = HTTPFields()
        fields.append(HTTPField(name: .cookie, value: "a=1; b=\"two\""))
        fields.append(HTTPField(name: .cookie, value: "a=ignored; c="))
        let request = try Request(url: "http://localhost/", headers: fields)
        #expect(request.cookies == ["a": "1", "b": "two", "c": ""])
    }

    @Test("a relative URL, or one with malformed percent-encoding, is rejected rather than re-encoded")
    func invalidURL() {
        #expect(throws: RequestError.invalidURL("/relative")) { try Request(url: "/relative") }
        #expect(throws: RequestError.self) { try Request(url: "https://example.com/?a=%zz&b=%E2%9C%93") }
    }
}
