import Foundation
import Testing
import WorkersRuntime

/// The fast reader must give exactly what `JSONDecoder` gives, and leave everything else to it.
@Suite struct JSONScannerTests {
    @Test(arguments: [
        #"{"login":"alice","id":42,"admin":false,"groups":["a","b"],"meta":{"score":-1.5e3,"none":null}}"#,
        #"  [1, 0, -0, 2.25, 1E2, true, null, "", {}, []]  "#,
        #"{"name":"Zoë ✓"}"#,
        #""plain""#,
        "3.5",
    ])
    func parsesLikeJSONDecoder(_ text: String) throws {
        #expect(try JSONScanner.parse(Data(text.utf8)) == JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)))
    }

    @Test(arguments: [
        #"{"a":"line\nbreak"}"#, // escapes: left to JSONDecoder
        #"{"a":1,"a":2}"#, // duplicate names
        #"{"a":01}"#, "1e400", #"{"a":1,}"#, #"[1 2]"#, "tru", #"{"a":"x"} x"#, "",
    ])
    func refusesWhatItDoesNotHandleExactly(_ text: String) {
        #expect(throws: JSONScanner.Unsupported.self) { try JSONScanner.parse(Data(text.utf8)) }
    }
}
