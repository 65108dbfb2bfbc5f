import Foundation
import Testing
import WorkersRuntime

@Suite("SecureCompare and RandomToken")
struct SecureCompareTests {
    @Test("equal secrets match; any difference, including length, does not")
    func compare() {
        #expect(SecureCompare.equals("s3cret", "s3cret"))
        #expect(!SecureCompare.equals("s3cret", "s3creT"))
        #expect(!SecureCompare.equals("s3cret", "s3cret "))
        #expect(!SecureCompare.equals("", "x"))
        #expect(SecureCompare.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!SecureCompare.constantTimeEquals([1, 2, 3], [1, 2]))
    }

    @Test("random tokens are 32 bytes of base64url and do not repeat")
    func tokens() {
        let tokens = (0..<100).map { _ in RandomToken.base64URL() }
        #expect(Set(tokens).count == 100)
        for token in tokens {
            #expect(token.count == 43)
            #expect(Data(base64URLEncoded: token)?.count == 32)
            #expect(!token.contains("+") && !token.contains("/") && !token.contains("="))
        }
    }
}
