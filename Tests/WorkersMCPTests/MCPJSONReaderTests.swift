import Foundation
import MCP
import Testing
import WorkersMCP

/// `MCPJSONReader` must build the `Value`s the SDK's own decoding builds, and refuse what is not JSON.
@Suite("MCPJSONReader")
struct MCPJSONReaderTests {
    static let documents = [
        #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"a":[1,-2,3.5,1e3,-0.25E-2]}}}"#,
        #"{"s":"plain","e":"\"\\\/\b\f\n\r\t","u":"\u00e9\u4e2d\ud83d\ude00","empty":"","nested":{"x":{"y":[[],{},null]}}}"#,
        #"{"big":9223372036854775807,"bigger":9223372036854775808,"negative":-9223372036854775808,"zero":0,"t":true,"f":false}"#,
        #"{"image":"data:image/png;base64,iVBORw0KGgo=","text":"data:,hello%20world","notData":"data: not a url"}"#,
        #"  [ 1 , "two" , { "three" : 3 } ]  "#,
        #"{"dup":1,"dup":2}"#,
        #"{"n":[42.0,-0.0,4.2e1,1e300,9.5,-7E0]}"#,
    ]

    @Test("builds the same Values as the SDK's JSONDecoder path", arguments: documents)
    func sameAsSDK(_ document: String) throws {
        let read = try MCPJSONReader.parse(Array(document.utf8))
        let decoded = try JSONDecoder().decode(Value.self, from: Data(document.utf8))
        #expect(read == decoded)
    }

    @Test("integral values are integers however spelled, other numbers doubles; data URLs are data")
    func kinds() throws {
        let value = try MCPJSONReader.parse(Array(#"{"i":42,"d":42.0,"e":4e1,"f":2.5,"h":1e300,"url":"data:text/plain;base64,aGk="}"#.utf8))
        #expect(value.objectValue?["i"] == .int(42))
        #expect(value.objectValue?["d"] == .int(42))
        #expect(value.objectValue?["e"] == .int(40))
        #expect(value.objectValue?["f"] == .double(2.5))
        #expect(value.objectValue?["h"] == .double(1e300))
        #expect(value.objectValue?["url"]?.dataValue?.1 == Data("hi".utf8))
    }

    @Test("refuses what is not JSON, nesting beyond the limit, and invalid UTF-8", arguments: [
        "", "{", "}", "[1,]", "{\"a\":}", "{\"a\" 1}", "{a:1}", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul",
        "\"unterminated", "\"bad escape \\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"tab\there\"",
        "1 2", "{} x", "1e400",
    ])
    func refuses(_ text: String) {
        #expect(throws: MCPJSONReader.Malformed.self) { try MCPJSONReader.parse(Array(text.utf8)) }
    }

    @Test("refuses nesting deeper than the limit and bytes that are not UTF-8")
    func limits() throws {
        let deep = String(repeating: "[", count: MCPJSONReader.maximumDepth + 1) + String(repeating: "]", count: MCPJSONReader.maximumDepth + 1)
        #expect(throws: MCPJSONReader.Malformed.self) { try MCPJSONReader.parse(Array(deep.utf8)) }
        let allowed = String(repeating: "[", count: MCPJSONReader.maximumDepth) + String(repeating: "]", count: MCPJSONReader.maximumDepth)
        #expect(try MCPJSONReader.parse(Array(allowed.utf8)).arrayValue != nil)
        #expect(throws: MCPJSONReader.Malformed.self) { try MCPJSONReader.parse([0x22, 0xFF, 0xFE, 0x22]) }
        #expect(throws: MCPJSONReader.Malformed.self) { try MCPJSONReader.parse([0x22, 0x5C, 0x6E, 0xC3, 0x22]) }
    }
}
