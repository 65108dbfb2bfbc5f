import Crypto
import Foundation
import HTTPTypes
import Testing
import WorkersRuntime
import WorkersTesting

@testable import WorkersOAuthProvider

/// The crypto must be byte-compatible with the anchor. The vectors below were produced with WebCrypto (Node), using
/// the same algorithms and constant the anchor uses.
@Suite struct TokenCryptoTests {
    static let token = "alice:grant123:SECRETSECRETSECRETSECRETSECRET12"
    static let rawKey = Data((1...32).map { UInt8($0) })
    static let props = "{\"subject\":\"conformance-user\"}"
    static let encrypted = "vVuobN8/cIZrCN4uFF/EnKQF5GdR1+kOGBkjx6W6xHlRVm/BTX8lBvOD9aAPwg=="
    static let wrapped = "o94la3sL8+byNPC2iC8fCU8uVcyDkq/jNlk4L12frKw/2mRnntSPbA=="
    static let hash = "b99ff8cb3957d95400b44d94142d77bbd455b337f4186ef4aabfca6a0c162ce4"

    @Test func hashIsLowercaseHexSHA256LikeTheAnchor() {
        #expect(TokenCrypto.hash(Self.token) == Self.hash)
    }

    @Test func unwrapsAndDecryptsWhatWebCryptoWrote() throws {
        let key = try TokenCrypto.unwrapKey(Self.wrapped, with: Self.token)
        #expect(key.withUnsafeBytes { Data($0) } == Self.rawKey)
        #expect(try TokenCrypto.decryptProps(Self.encrypted, key: key) == ["subject": "conformance-user"])
    }

    @Test func writesTheSameBytesWebCryptoWrites() throws {
        let key = SymmetricKey(data: Self.rawKey)
        #expect(try TokenCrypto.encryptProps(["subject": "conformance-user"], key: key) == Self.encrypted)
        #expect(try TokenCrypto.wrapKey(key, with: Self.token) == Self.wrapped)
    }

    @Test func aKeyWrappedForOneTokenDoesNotUnwrapWithAnother() throws {
        #expect(throws: (any Error).self) { try TokenCrypto.unwrapKey(Self.wrapped, with: Self.token + "x") }
    }

    @Test func randomStringsUseTheAnchorAlphabetAndLength() {
        let value = TokenCrypto.randomString(length: 32)
        #expect(value.count == 32)
        #expect(value.utf8.allSatisfy(TokenCrypto.alphabet.contains))
        #expect(TokenCrypto.randomString(length: 32) != value)
    }

    @Test func tokensHaveExactlyThreeParts() {
        #expect(TokenParts("u:g:s")?.userID == "u")
        #expect(TokenParts("u:g") == nil)
        #expect(TokenParts("u:x:g:s") == nil)
        #expect(TokenParts("::s") == nil)
        #expect(TokenParts("u::s") == nil)
        #expect(TokenParts("u:g:") == nil)
        #expect(TokenParts(":g:s") == nil)
        #expect(TokenParts("ü:grant-1:s").map { [$0.userID, $0.grantID] } == ["ü", "grant-1"])
        let made = TokenParts.make(userID: "bob", grantID: "g1")
        #expect(made.hasPrefix("bob:g1:") && made.count == "bob:g1:".count + 32)
    }

    @Test func hashIsLowercaseHexSHA256OfTheUTF8() {
        #expect(TokenCrypto.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(TokenCrypto.hash("ü") == SHA256.hash(data: Data("ü".utf8)).map { String(format: "%02x", $0) }.joined())
    }

    @Test(arguments: [
        ("Bearer abc", "abc"), ("bEaReR abc", "abc"), ("Bearer   abc\t", "abc"), ("Bearer u:g:s", "u:g:s"),
        ("Bearer \u{00A0}abc\u{3000}", "abc"), ("Bearer", nil), ("Bearer    ", nil), ("Basic abc", nil), ("Bearerx abc", nil),
        ("Bearex abc", nil),
    ] as [(String, String?)])
    func bearerTokensAreFoundWithAnySchemeCase(header: String, token: String?) throws {
        var headers = HTTPFields()
        headers[.authorization] = header
        let request = try Request(url: "https://mcp.example.com/mcp", headers: headers)
        #expect(OAuthBearerGuard.bearerToken(request) == token)
    }

    @Test func propsWithEscapesStillDecryptThroughTheFallback() throws {
        let key = SymmetricKey(size: .bits256)
        let props: JSONValue = ["quote": "say \"hi\"\n", "path": "a/b"]
        #expect(try TokenCrypto.decryptProps(TokenCrypto.encryptProps(props, key: key), key: key) == props)
    }

    @Test func s256MatchesRFC7636AppendixB() {
        #expect(TokenCrypto.s256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }
}
