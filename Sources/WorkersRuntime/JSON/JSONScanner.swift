package import Foundation

/// A single-pass JSON reader for documents read on hot paths (a stored token record, decrypted props), where
/// `JSONDecoder` is most of the cost: `JSONValue`'s `Decodable` conformance finds each value's type by trying Bool,
/// Double, String and array in turn, and every failed attempt throws a `DecodingError`.
///
/// **The fallback rule.** It accepts only RFC 8259 JSON and reads only what it reads exactly like `JSONDecoder`
/// would. Anything else, valid JSON or not, throws ``Unsupported``: strings with escapes, duplicate object names,
/// numbers that are not finite doubles, nesting deeper than 64, trailing bytes. A caller then decodes the same bytes
/// with `JSONDecoder`, which gives the answer (or the precise error). So this reader is never the one that decides
/// a document is invalid, and never answers differently from `JSONDecoder`.
///
/// ``parse(_:)`` builds a `JSONValue`; the scanning methods (``members(_:)``, ``string()``, ``integer()``,
/// ``strings()``, ``skipValue()``) read a record of known shape without building one.
///
/// ```swift
/// let props = (try? JSONScanner.parse(data)) ?? (try JSONValue(parsing: data))
/// ```
package struct JSONScanner {
    /// The input is not JSON this reader handles; use `JSONDecoder` instead.
    package struct Unsupported: Error {
        package init() {}
    }

    private let bytes: [UInt8]
    private var index = 0
    private static let maximumDepth = 64

    /// A reader positioned at the start of `data`.
    package init(_ data: Data) {
        bytes = [UInt8](data)
    }

    /// Parses one JSON document (surrounding whitespace allowed).
    package static func parse(_ data: Data) throws(Unsupported) -> JSONValue {
        var reader = JSONScanner(data)
        let value = try reader.value(depth: 0)
        try reader.end()
        return value
    }

    /// Checks that only whitespace is left.
    package mutating func end() throws(Unsupported) {
        skipWhitespace()
        guard index == bytes.count else { throw Unsupported() }
    }

    // MARK: Scanning

    /// Reads an object: `body` gets each member's name, in document order, and must consume its value. Names are
    /// not checked for duplicates: that is the caller's business.
    package mutating func members(_ body: (inout JSONScanner, String) throws(Unsupported) -> Void) throws(Unsupported) {
        try consume(UInt8(ascii: "{"))
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            let name = try string()
            try consume(UInt8(ascii: ":"))
            try body(&self, name)
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return
            default: throw Unsupported()
            }
        }
    }

    /// Reads a string without escapes (strings with escapes are left to `JSONDecoder`).
    package mutating func string() throws(Unsupported) -> String {
        try consume(UInt8(ascii: "\""))
        let start = index
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text: String
                if ascii {
                    text = String(decoding: bytes[start..<index], as: UTF8.self)
                } else {
                    guard let valid = String(validating: bytes[start..<index], as: UTF8.self) else { throw Unsupported() }
                    text = valid
                }
                index += 1
                return text
            }
            guard byte >= 0x20, byte != UInt8(ascii: "\\") else { throw Unsupported() }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        throw Unsupported()
    }

    /// Reads an array of strings.
    package mutating func strings() throws(Unsupported) -> [String] {
        var strings: [String] = []
        try elements { reader throws(Unsupported) in strings.append(try reader.string()) }
        return strings
    }

    /// Reads a number that is an integer exactly representable as a Double, as `JSONDecoder` reads an `Int` field:
    /// `1e3` is 1000, `2.5` is declined.
    package mutating func integer() throws(Unsupported) -> Int {
        let number = try number()
        guard number == number.rounded(), abs(number) <= 9_007_199_254_740_992 else { throw Unsupported() }
        return Int(number)
    }

    /// Consumes `null` if it comes next.
    package mutating func null() throws(Unsupported) -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// Whether a string comes next.
    package mutating func atString() throws(Unsupported) -> Bool {
        try peek() == UInt8(ascii: "\"")
    }

    /// Reads and discards one value.
    package mutating func skipValue() throws(Unsupported) {
        _ = try value(depth: 1)
    }

    // MARK: Values

    private mutating func value(depth: Int) throws(Unsupported) -> JSONValue {
        guard depth < Self.maximumDepth else { throw Unsupported() }
        switch try peek() {
        case UInt8(ascii: "{"):
            var members: [String: JSONValue] = [:]
            try self.members { reader, name throws(Unsupported) in
                // Duplicate names are legal JSON but decoders differ on them: leave them to JSONDecoder.
                guard members[name] == nil else { throw Unsupported() }
                members[name] = try reader.value(depth: depth + 1)
            }
            return .object(members)
        case UInt8(ascii: "["):
            var elements: [JSONValue] = []
            try self.elements { reader throws(Unsupported) in elements.append(try reader.value(depth: depth + 1)) }
            return .array(elements)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return .number(try number())
        }
    }

    private mutating func elements(_ body: (inout JSONScanner) throws(Unsupported) -> Void) throws(Unsupported) {
        try consume(UInt8(ascii: "["))
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            try body(&self)
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return
            default: throw Unsupported()
            }
        }
    }

    /// A number in RFC 8259 syntax that is a finite Double.
    private mutating func number() throws(Unsupported) -> Double {
        skipWhitespace()
        let start = index
        func digits() -> Int {
            let first = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - first
        }
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let integerStart = index
        let integerDigits = digits()
        guard integerDigits > 0, integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else { throw Unsupported() }
        var integral = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            integral = false
            guard digits() > 0 else { throw Unsupported() }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            integral = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw Unsupported() }
        }
        // Up to 15 digits an integer is exact in a Double, so summing the digits gives what parsing the text gives.
        if integral, integerDigits <= 15 {
            var magnitude = 0
            for byte in bytes[integerStart..<index] { magnitude = magnitude * 10 + Int(byte - UInt8(ascii: "0")) }
            return negative ? -Double(magnitude) : Double(magnitude)
        }
        guard let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)), value.isFinite else {
            throw Unsupported()
        }
        return value
    }

    // MARK: Bytes

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// The next byte after whitespace, not consumed.
    private mutating func peek() throws(Unsupported) -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else { throw Unsupported() }
        return bytes[index]
    }

    private mutating func consume(_ byte: UInt8) throws(Unsupported) {
        guard try peek() == byte else { throw Unsupported() }
        index += 1
    }

    private mutating func literal(_ word: StaticString) throws(Unsupported) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw Unsupported() }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw Unsupported() }
        index += count
    }
}
