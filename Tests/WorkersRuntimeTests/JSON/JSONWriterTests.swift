import Foundation
import Testing
@testable import WorkersRuntime

/// `JSONWriter` must write what `JSONEncoder` writes (the same JSON value), hand over what one pass cannot do, and
/// fail where `JSONEncoder` fails.
@Suite("JSONWriter")
struct JSONWriterTests {
    struct Profile: Codable, Equatable {
        var login: String
        var id: Int
        var score: Double
        var admin: Bool
        var name: String?
        var email: String?
        var tags: [String]
        var limits: [String: Int]
        var nested: [Nested]
        var avatar: Data
        var homepage: URL
        var seen: Date
    }

    struct Nested: Codable, Equatable {
        var value: Int8
        var unsigned: UInt64
        var float: Float
        var empty: Empty
        var matrix: [[Double]]
    }

    struct Empty: Codable, Equatable {}

    static let profile = Profile(
        login: "octo\"cat\\ \n\t\r\u{8}\u{c}\u{1} / é 🐙", id: -42, score: 0.1, admin: true, name: nil, email: "a@b.c",
        tags: ["", "x"], limits: ["a": 1, "b": 2],
        nested: [Nested(value: -8, unsigned: .max, float: 1.5, empty: Empty(), matrix: [[1, 2.5e300], [], [-0.000001]])],
        avatar: Data([0, 1, 254, 255]), homepage: URL(string: "https://example.com/a?b=c")!,
        seen: Date(timeIntervalSince1970: 1_700_000_000.25)
    )

    static func parsed(_ bytes: some Sequence<UInt8>) throws -> NSObject {
        try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) as! NSObject
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    @Test("writes the same JSON value as JSONEncoder for structs, optionals, arrays, dictionaries and special types")
    func sameAsJSONEncoder() throws {
        let written = try JSONWriter.encode(Self.profile)
        #expect(try Self.parsed(written) == Self.parsed(Self.encoder().encode(Self.profile)))
        #expect(try JSONDecoder().decode(Profile.self, from: Data(written)) == Self.profile)
        let text = String(decoding: written, as: UTF8.self)
        #expect(text.contains(#""login":"octo\"cat\\ \n\t\r\b\f\u0001 / é 🐙""#))
        #expect(!text.contains("name"))  // nil optionals are left out, as JSONEncoder does
        #expect(text.contains(#""empty":{}"#))
        #expect(text.contains(#""avatar":"AAH+/w==""#))
        #expect(text.contains(#""homepage":"https://example.com/a?b=c""#))
    }

    @Test("writes JSONValue and top-level scalars, arrays and dictionaries")
    func valuesAndFragments() throws {
        let value: JSONValue = ["a": [1, 2.5, "x", nil, true, ["b": false]], "c": [:], "d": []]
        #expect(try Self.parsed(JSONWriter.encode(value)) == Self.parsed(Self.encoder().encode(value)))
        #expect(try JSONWriter.encode("s") == Array(#""s""#.utf8))
        #expect(try JSONWriter.encode(12) == Array("12".utf8))
        #expect(try JSONWriter.encode([Int]()) == Array("[]".utf8))
        #expect(try JSONWriter.encode(Optional<Int>.none) == Array("null".utf8))
        #expect(try JSONWriter.encode(["k": ["v"]]) == Array(#"{"k":["v"]}"#.utf8))
    }

    /// Writes its members through a nested container that it fills after its parent moved on.
    struct LateNested: Encodable {
        enum Keys: String, CodingKey { case first, second, inner }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var inner = container.nestedContainer(keyedBy: Keys.self, forKey: .first)
            try container.encode(2, forKey: .second)
            try inner.encode(1, forKey: .inner)
        }
    }

    /// Uses `superEncoder`.
    struct WithSuper: Encodable {
        enum Keys: String, CodingKey { case own }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode("x", forKey: .own)
            var parent = container.superEncoder().singleValueContainer()
            try parent.encode(7)
        }
    }

    /// Nested containers filled in order, the common pattern, are written in one pass.
    struct OrderedNested: Encodable {
        enum Keys: String, CodingKey { case list, object, after }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode(1)
            var object = list.nestedContainer(keyedBy: Keys.self)
            try object.encode(true, forKey: .after)
            var again = encoder.container(keyedBy: Keys.self)  // the same container, asked for again
            try again.encode("done", forKey: .after)
        }
    }

    @Test("what one pass cannot write goes to JSONEncoder, with the same result")
    func fallback() throws {
        for value in [LateNested() as any Encodable, WithSuper(), Decimal(string: "12.50")!, ["d": Decimal(1)]] {
            #expect(try Self.parsed(JSONWriter.encode(value)) == Self.parsed(Self.encoder().encode(value)))
        }
        // Written in one pass, in encoding order (JSONEncoder's own order of these keys may differ).
        let ordered = try JSONWriter.encode(OrderedNested())
        #expect(String(decoding: ordered, as: UTF8.self) == #"{"list":[1,{"after":true}],"after":"done"}"#)
        #expect(try Self.parsed(ordered) == Self.parsed(Self.encoder().encode(OrderedNested())))
    }

    @Test("fails where JSONEncoder fails (non-finite numbers) and answers as it does for a top-level empty value")
    func failures() throws {
        #expect(throws: EncodingError.self) { try JSONWriter.encode(["x": Double.nan]) }
        #expect(throws: EncodingError.self) { try JSONWriter.encode([Float.infinity]) }
        #expect(try JSONWriter.encode(Empty()) == Array(try Self.encoder().encode(Empty())))
    }
}
