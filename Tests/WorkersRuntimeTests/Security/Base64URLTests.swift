import Foundation
import Testing
@testable import WorkersRuntime

@Suite struct Base64URLTests {
    @Test func decodesWhatFoundationEncodes() throws {
        for length in 0..<70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let standard = Data(bytes).base64EncodedString()
            let url = Data(bytes).base64URLEncodedString()
            #expect(Base64URL.decode(Array(url.utf8)) == bytes, "unpadded base64url of \(length) bytes")
            #expect(Base64URL.decode(Array(standard.utf8)) == bytes, "padded standard base64 of \(length) bytes")
            #expect(Data(base64URLEncoded: url) == Data(bytes))
        }
    }

    @Test func refusesWhatIsNotBase64() {
        #expect(Base64URL.decode(Array("a".utf8)) == nil, "no encoding has length 1 mod 4")
        #expect(Base64URL.decode(Array("ab c".utf8)) == nil)
        #expect(Base64URL.decode(Array("ab.c".utf8)) == nil)
        #expect(Base64URL.decode(Array("YQ===".utf8)) == nil, "at most two =")
        #expect(Base64URL.decode(Array("YQ=".utf8)) == nil, "padding must complete a quantum")
        #expect(Base64URL.decode(Array("YQ==".utf8)) == [0x61])
        #expect(Data(base64URLEncoded: "é") == nil)
    }
}
