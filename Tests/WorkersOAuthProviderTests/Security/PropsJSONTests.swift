import Crypto
import Foundation
import Testing
import WorkersRuntime

@testable import WorkersOAuthProvider

/// The fast props parser must give exactly what `JSONValue(parsing:)` gives, and leave everything else to it.
@Suite struct PropsJSONTests {
    @Test(arguments: [
        #"{"login":"alice","id":42,"admin":false,"groups":["a","b"],"meta":{"score":-1.5e3,"none":null}}"#,
        #"  [1, 0, -0, 2.25, 1E2, true, null, "", {}, []]  "#,
        #"{"name":"Zoë ✓"}"#,
        #""plain""#,
        "3.5",
    ])
    func parsesLikeJSONDecoder(_ text: String) throws {
        #expect(try PropsJSON.parse(Data(text.utf8)) == JSONValue(parsing: Data(text.utf8)))
    }

    @Test(arguments: [
        #"{"a":"line\nbreak"}"#, // escapes: left to JSONDecoder
        #"{"a":1,"a":2}"#, // duplicate names
        #"{"a":01}"#, "1e400", #"{"a":1,}"#, #"[1 2]"#, "tru", #"{"a":"x"} x"#, "",
    ])
    func refusesWhatItDoesNotHandleExactly(_ text: String) {
        #expect(throws: PropsJSON.Unsupported.self) { try PropsJSON.parse(Data(text.utf8)) }
    }

    @Test func propsWithEscapesStillDecryptThroughTheFallback() throws {
        let key = SymmetricKey(size: .bits256)
        let props: JSONValue = ["quote": "say \"hi\"\n", "path": "a/b"]
        #expect(try TokenCrypto.decryptProps(TokenCrypto.encryptProps(props, key: key), key: key) == props)
    }
}
