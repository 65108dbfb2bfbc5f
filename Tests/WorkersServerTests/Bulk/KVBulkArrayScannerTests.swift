import Testing

@testable import WorkersServer

@Suite struct KVBulkArrayScannerTests {
    /// Scans `text` fed `chunkSize` bytes at a time.
    func scan(_ text: String, chunkSize: Int = 1, maxElementBytes: Int = 1000) throws(KVBulkArrayScanner.StructureError)
        -> [KVBulkArrayScanner.Element]
    {
        var scanner = KVBulkArrayScanner(maxElementBytes: maxElementBytes)
        var elements: [KVBulkArrayScanner.Element] = []
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunkSize)
            try scanner.feed(Array(bytes[start..<end]), into: &elements)
            start = end
        }
        try scanner.finish()
        return elements
    }

    func texts(_ elements: [KVBulkArrayScanner.Element]) -> [String] {
        elements.map { element in
            switch element {
            case .complete(_, let bytes): String(decoding: bytes, as: UTF8.self)
            case .oversized(let index, let count): "oversized \(index) \(count)"
            }
        }
    }

    @Test("elements come out whole whatever the chunk boundaries, with strings that hold brackets, commas and escapes", arguments: [1, 2, 7, 4096])
    func elementsAcrossChunks(chunkSize: Int) throws {
        let text = #"  [ {"key":"a,]}","value":"x\"]\\"} , {"key":"b","metadata":{"n":[1,{"m":[]}]}},"str",12 ,null,[] ]  "#
        let elements = try scan(text, chunkSize: chunkSize)
        #expect(texts(elements) == [
            #"{"key":"a,]}","value":"x\"]\\"}"#, #"{"key":"b","metadata":{"n":[1,{"m":[]}]}}"#, #""str""#, "12", "null", "[]",
        ])
        #expect(elements.map { if case .complete(let index, _) = $0 { index } else { -1 } } == [0, 1, 2, 3, 4, 5])
    }

    @Test func emptyArrayAndByteOrderMark() throws {
        #expect(try scan("[]").isEmpty)
        #expect(try scan("\u{FEFF}[ \n ]\n").isEmpty)
    }

    @Test("an element past the limit is reported with its size, and the next one still comes out")
    func oversized() throws {
        let big = String(repeating: "x", count: 50)
        let first = #"{"key":"a","value":"\#(big)"}"#
        let elements = try scan("[\(first),{\"key\":\"b\"}]", chunkSize: 5, maxElementBytes: 40)
        #expect(texts(elements) == ["oversized 0 \(first.utf8.count)", #"{"key":"b"}"#])
    }

    @Test("a file that is not one complete array is a structure error with its offset", arguments: [
        ("", "empty"), ("{\"key\":1}", "Expected a JSON array"), ("[{\"key\":1}", "truncated"), ("[{\"key\":\"a", "truncated"),
        ("[1,]", "Expected an element"), ("[,1]", "Expected an element"), ("[1 2]", "Expected ',' or ']'"),
        ("[1] x", "nothing after the array"), ("[{]}]", "Expected '}'"), ("[1}]", "Expected ',' or ']'"),
    ])
    func structureErrors(text: String, message: String) {
        #expect {
            _ = try scan(text)
        } throws: { error in
            (error as? KVBulkArrayScanner.StructureError)?.description.contains(message) == true
        }
    }

    @Test func truncatedReportsHowManyElementsCameBefore() {
        #expect(throws: KVBulkArrayScanner.StructureError(offset: 23, message: "The file ends inside the array (truncated?) after 2 elements")) {
            _ = try scan(#"[{"a":1},{"b":2},{"c":3"#)
        }
    }
}
