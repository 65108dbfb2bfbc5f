import Foundation
public import MCP

/// Reads JSON text straight into swift-sdk `Value`s, in one pass over the bytes.
///
/// The SDK decodes a message through `JSONDecoder` and `Value`'s `Decodable` conformance, which tries Bool, Int,
/// Double, String, array and object in turn for every value and checks every string against a data-URL regex it
/// builds on each call; a `tools/call` then decodes its parameters a second time. This reader builds the same
/// `Value`s directly:
///
/// - a number whose value is an integer that fits an `Int` (`42`, `42.0`, `4.2e1`) is `.int`, any other `.double`;
/// - a string that is a data URL (RFC 2397) is `.data`, as the SDK decodes it (only strings starting `data:` are
///   looked at);
/// - RFC 8259 JSON only: escapes and surrogate pairs are decoded, unpaired surrogates, control characters in
///   strings, leading zeros, trailing bytes and nesting deeper than ``maximumDepth`` are errors. Of duplicate
///   member names the first is kept, as `JSONDecoder` keeps it.
public struct MCPJSONReader {
    /// The input is not JSON (or nests deeper than ``maximumDepth``); `offset` is where reading stopped.
    public struct Malformed: Error, Sendable {
        /// The byte offset at which the input stopped being JSON.
        public let offset: Int
    }

    /// The deepest nesting of arrays and objects accepted.
    public static let maximumDepth = 64

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses one JSON document (surrounding whitespace allowed).
    public static func parse(_ bytes: some Collection<UInt8>) throws(Malformed) -> Value {
        let result: Result<Value, Malformed>? = bytes.withContiguousStorageIfAvailable { buffer in
            var reader = MCPJSONReader(buffer)
            return Result { () throws(Malformed) -> Value in
                let value = try reader.value(depth: 0)
                reader.skipWhitespace()
                guard reader.index == buffer.count else { throw Malformed(offset: reader.index) }
                return value
            }
        }
        if let result { return try result.get() }
        return try parse(Array(bytes))
    }

    // MARK: Values

    private mutating func value(depth: Int) throws(Malformed) -> Value {
        skipWhitespace()
        guard index < bytes.count else { throw fail() }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""):
            let string = try string()
            return string.hasPrefix("data:") ? Self.dataURL(string) : .string(string)
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: return try number()
        }
    }

    /// A data URL as the SDK reads it (`.data`), or the plain string when it is not one.
    private static func dataURL(_ string: String) -> Value {
        guard let (mimeType, data) = Data.parseDataURL(string) else { return .string(string) }
        return .data(mimeType: mimeType, data)
    }

    private mutating func object(depth: Int) throws(Malformed) -> Value {
        guard depth <= Self.maximumDepth else { throw fail() }
        index += 1
        var members: [String: Value] = [:]
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw fail() }
            let name = try string()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw fail() }
            index += 1
            let member = try value(depth: depth)
            if members[name] == nil { members[name] = member }  // the first of duplicate names, as JSONDecoder keeps
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return .object(members)
            default: throw fail()
            }
        }
    }

    private mutating func array(depth: Int) throws(Malformed) -> Value {
        guard depth <= Self.maximumDepth else { throw fail() }
        index += 1
        var elements: [Value] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try value(depth: depth))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default: throw fail()
            }
        }
    }

    private mutating func literal(_ word: StaticString, _ value: Value) throws(Malformed) -> Value {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail() }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw fail() }
        index += count
        return value
    }

    // MARK: Numbers

    private mutating func number() throws(Malformed) -> Value {
        let start = index
        var isInteger = true
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), Self.isDigit(first) else { throw fail() }
        index += 1
        if first == UInt8(ascii: "0"), let next = peek(), Self.isDigit(next) { throw fail() }  // no leading zeros
        skipDigits()
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard let digit = peek(), Self.isDigit(digit) else { throw fail() }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let digit = peek(), Self.isDigit(digit) else { throw fail() }
            skipDigits()
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let integer = Int(text) { return .int(integer) }
        guard let double = Double(text), double.isFinite else { throw Malformed(offset: start) }
        // As `JSONDecoder` decodes an `Int`, which `Value` tries first: any spelling of an integral value that fits.
        if let integer = Int(exactly: double) { return .int(integer) }
        return .double(double)
    }

    private mutating func skipDigits() {
        while let byte = peek(), Self.isDigit(byte) { index += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    // MARK: Strings

    private mutating func string() throws(Malformed) -> String {
        index += 1  // the opening quote
        let start = index
        // The common case, no escapes: one copy of the bytes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                guard let text else { throw Malformed(offset: start) }
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw fail() }
            index += 1
        }
        var scalars = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: scalars, as: UTF8.self) else { throw Malformed(offset: start) }
                return text
            case UInt8(ascii: "\\"): try unescape(into: &scalars)
            case 0..<0x20: throw Malformed(offset: index - 1)
            default: scalars.append(byte)
            }
        }
        throw fail()
    }

    private mutating func unescape(into output: inout [UInt8]) throws(Malformed) {
        guard let byte = peek() else { throw fail() }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(byte)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hexQuad()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low one.
                guard peek() == UInt8(ascii: "\\") else { throw fail() }
                index += 1
                guard peek() == UInt8(ascii: "u") else { throw fail() }
                index += 1
                let low = try hexQuad()
                guard (0xDC00..<0xE000).contains(low) else { throw fail() }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw fail()
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw fail() }
            UTF8.encode(unicode) { output.append($0) }
        default: throw Malformed(offset: index - 1)
        }
    }

    private mutating func hexQuad() throws(Malformed) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail()
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    // MARK: Bytes

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func fail() -> Malformed { Malformed(offset: index) }
}
