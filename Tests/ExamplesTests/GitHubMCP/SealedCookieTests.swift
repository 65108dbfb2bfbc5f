import Foundation
import HTTPTypes
import Synchronization
import Testing
import WorkersRuntime

@testable import GitHubMCP

@Suite("SealedCookie and ApprovedClients")
struct SealedCookieTests {
    static let secret = String(repeating: "k", count: 32)

    @Test("a sealed value opens under its own name only, and not once altered or expired")
    func sealAndOpen() throws {
        let clock = Mutex(Date(timeIntervalSince1970: 1_000_000))
        let cookies = try SealedCookie(secret: Self.secret, now: { clock.withLock { $0 } })
        let sealed = try cookies.seal(["client-a"], name: "approved", lifetime: 60)
        #expect(!sealed.contains("client-a"))
        #expect(cookies.open(sealed, name: "approved") == ["client-a"])
        #expect(cookies.open(sealed, name: "other") == nil)

        var bytes = Array(try #require(Data(base64URLEncoded: sealed)))
        bytes[bytes.count / 2] ^= 1
        #expect(cookies.open(Data(bytes).base64URLEncodedString(), name: "approved") == nil)

        let otherKey = try SealedCookie(secret: String(repeating: "x", count: 32))
        #expect(otherKey.open(sealed, name: "approved") == nil)
        clock.withLock { $0 += 61 }
        #expect(cookies.open(sealed, name: "approved") == nil)
        #expect(throws: SealedCookieError.self) { try SealedCookie(secret: "short") }
    }

    @Test("approving a client keeps earlier approvals, and a forged cookie approves nothing")
    func approvals() throws {
        let approved = ApprovedClients(cookies: try SealedCookie(secret: Self.secret), secure: true)
        #expect(approved.name == "__Host-mcp-approved-clients")
        let first = try approved.cookie(approving: "a", in: try Request(url: "https://mcp.example/authorize"))
        #expect(first.secure && first.httpOnly)
        let withA = try Request(url: "https://mcp.example/authorize", headers: [.cookie: "\(first.name)=\(first.value)"])
        let second = try approved.cookie(approving: "b", in: withA)
        let withBoth = try Request(url: "https://mcp.example/authorize", headers: [.cookie: "\(second.name)=\(second.value)"])
        #expect(approved.approved(in: withBoth) == ["b", "a"])
        #expect(approved.isApproved("a", in: withBoth))

        let forged = try Request(url: "https://mcp.example/authorize", headers: [.cookie: "\(approved.name)=WyJhIl0"])
        #expect(!approved.isApproved("a", in: forged))
    }
}
