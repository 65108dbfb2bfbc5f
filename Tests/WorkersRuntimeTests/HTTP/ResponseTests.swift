import Foundation
import HTTPTypes
import NIOCore
import Testing
import WorkersRuntime

@Suite("Response")
struct ResponseTests {
    @Test("redirect accepts 301, 302, 303, 307 and 308 only")
    func redirect() throws {
        for code in [301, 302, 303, 307, 308] {
            let response = try Response.redirect("https://example.com/next", status: HTTPResponse.Status(code: code))
            #expect(response.status.code == code)
            #expect(response.header("location") == "https://example.com/next")
        }
        for code in [200, 304, 400, 500] {
            #expect(throws: RedirectStatusError(status: code)) {
                try Response.redirect("https://example.com", status: HTTPResponse.Status(code: code))
            }
        }
        #expect(try Response.redirect("https://example.com").status == .found)
    }

    @Test("json sets application/json unless a content type is given")
    func json() async throws {
        let plain = try Response.json(["a": 1], status: .created)
        #expect(plain.status == .created)
        #expect(plain.header("content-type") == "application/json")
        #expect(try await plain.body.text() == #"{"a":1}"#)
        let custom = try Response.json(["a": 1], headers: [.contentType: "application/problem+json"])
        #expect(custom.header("content-type") == "application/problem+json")
    }

    @Test("Set-Cookie values stay separate fields with secure defaults")
    func cookies() {
        var response = Response.text("ok")
        response.setCookie(Cookie(name: "a", value: "1", maxAge: 60))
        response.setCookie(Cookie(name: "b", value: "2", path: nil, secure: false, httpOnly: false, sameSite: nil))
        #expect(response.setCookies == ["a=1; Path=/; Max-Age=60; Secure; HttpOnly; SameSite=Lax", "b=2"])
        #expect(response.header("content-type") == "text/plain; charset=utf-8")
    }

    @Test("a streaming body is produced lazily and can be collected with a cap")
    func streaming() async throws {
        let body = ResponseBody.stream { writer in
            for index in 1...3 { try await writer.write("chunk\(index);") }
        }
        #expect(body.isStream)
        #expect(body.buffer == nil)
        #expect(try await body.text() == "chunk1;chunk2;chunk3;")
        await #expect(throws: ResponseBodyTooLargeError.self) { _ = try await body.collect(upTo: 10) }
    }
}
