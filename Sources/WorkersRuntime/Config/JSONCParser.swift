/// A parser for JSON with comments, the format of `wrangler.json` and `wrangler.jsonc`.
///
/// It accepts what wrangler accepts there (it reads both names with `jsonc-parser` and `allowTrailingComma`):
/// RFC 8259 JSON plus `// line` and `/* block */` comments and a trailing comma before `]` or `}`. Comment markers
/// inside strings are string content. A repeated key keeps its last value, as in JavaScript, and is reported in
/// ``JSONCDocument/duplicates``. Nesting deeper than ``maximumDepth`` is an error rather than a stack overflow.
struct JSONCParser {
    /// Malformed input: what was expected and where (1-based line and column, counted in Unicode scalars).
    struct SyntaxError: Error, Equatable {
        var line: Int
        var column: Int
        var message: String
    }

    static let maximumDepth = 100

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var document = JSONCDocument(root: .null)

    private init(_ text: String) {
        bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3; lineStart = 3 }  // a byte order mark
    }

    /// Parses one JSONC document: a single value, with whitespace and comments around it.
    static func parse(_ text: String) throws(SyntaxError) -> JSONCDocument {
        var parser = JSONCParser(text)
        try parser.skipTrivia()
        guard parser.index < parser.bytes.count else { throw parser.error("expected a JSON value, found the end of the file") }
        let root = try parser.value(at: [], depth: 0)
        try parser.skipTrivia()
        guard parser.index == parser.bytes.count else { throw parser.error("expected the end of the file after the value") }
        parser.document.root = root
        return parser.document
    }

    // MARK: Values

    private mutating func value(at path: ConfigKeyPath, depth: Int) throws(SyntaxError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw error("nested more than \(Self.maximumDepth) levels deep") }
        guard let byte = peek else { throw error("expected a value, found the end of the file") }
        switch byte {
        case UInt8(ascii: "{"): return try object(at: path, depth: depth)
        case UInt8(ascii: "["): return try array(at: path, depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: throw error("expected a value (an object, array, string, number, true, false or null)")
        }
    }

    private mutating func object(at path: ConfigKeyPath, depth: Int) throws(SyntaxError) -> JSONValue {
        index += 1  // {
        var members: [String: JSONValue] = [:]
        try skipTrivia()
        while peek != UInt8(ascii: "}") {
            guard peek == UInt8(ascii: "\"") else {
                throw error(peek == nil ? "unterminated object: expected \"}\"" : "expected a property name in double quotes")
            }
            let position = self.position
            let key = try string()
            let keyPath = path.appending(key)
            try skipTrivia()
            guard peek == UInt8(ascii: ":") else { throw error("expected \":\" after the property name") }
            index += 1
            try skipTrivia()
            if members[key] != nil { document.duplicates.append(keyPath) }
            document.positions[keyPath] = position
            members[key] = try value(at: keyPath, depth: depth + 1)
            guard try separator(closing: "}") else { break }
        }
        index += 1  // }
        return .object(members)
    }

    private mutating func array(at path: ConfigKeyPath, depth: Int) throws(SyntaxError) -> JSONValue {
        index += 1  // [
        var elements: [JSONValue] = []
        try skipTrivia()
        while peek != UInt8(ascii: "]") {
            guard peek != nil else { throw error("unterminated array: expected \"]\"") }
            let elementPath = path.appending(index: elements.count)
            document.positions[elementPath] = position
            elements.append(try value(at: elementPath, depth: depth + 1))
            guard try separator(closing: "]") else { break }
        }
        index += 1  // ]
        return .array(elements)
    }

    /// After a member or element: `true` when a comma (and another one, or a trailing comma) follows, `false` at
    /// the closing bracket, which is left for the caller to consume.
    private mutating func separator(closing: Unicode.Scalar) throws(SyntaxError) -> Bool {
        try skipTrivia()
        if peek == UInt8(ascii: ",") {
            index += 1
            try skipTrivia()
            return true
        }
        guard peek == UInt8(ascii: closing) else { throw error("expected \",\" or \"\(closing)\"") }
        return false
    }

    private mutating func literal(_ word: StaticString) throws(SyntaxError) {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard bytes[index...].starts(with: expected) else { throw error("expected a value (did you mean \(word)?)") }
        index += expected.count
    }

    private mutating func number() throws(SyntaxError) -> Double {
        let start = index
        if peek == UInt8(ascii: "-") { index += 1 }
        if peek == UInt8(ascii: "0") {
            index += 1
        } else if try digits() == 0 {
            throw error("expected a digit")
        }
        if peek == UInt8(ascii: ".") {
            index += 1
            guard try digits() > 0 else { throw error("expected a digit after the decimal point") }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            guard try digits() > 0 else { throw error("expected a digit in the exponent") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let number = Double(text), number.isFinite else {
            index = start
            throw error("the number \(text) is too large")
        }
        return number
    }

    private mutating func digits() throws(SyntaxError) -> Int {
        let start = index
        while let byte = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
        return index - start
    }
}

extension JSONCParser {
    // MARK: Strings, whitespace and comments

    /// A string literal starting at the opening quote.
    private mutating func string() throws(SyntaxError) -> String {
        index += 1  // "
        var scalars = String.UnicodeScalarView()
        var run = index  // the start of the bytes copied as they are
        while true {
            guard let byte = peek else { throw error("unterminated string: expected a closing \"") }
            switch byte {
            case UInt8(ascii: "\""):
                scalars.append(contentsOf: String(decoding: bytes[run..<index], as: UTF8.self).unicodeScalars)
                index += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                scalars.append(contentsOf: String(decoding: bytes[run..<index], as: UTF8.self).unicodeScalars)
                index += 1
                scalars.append(try escape())
                run = index
            case 0..<0x20:
                throw error("a control character must be escaped in a string (a string cannot span lines)")
            default:
                index += 1
            }
        }
    }

    /// The character of an escape sequence, after its backslash.
    private mutating func escape() throws(SyntaxError) -> Unicode.Scalar {
        guard let byte = peek else { throw error("unterminated string: expected a closing \"") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return Unicode.Scalar(byte)
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let first = try hexQuad()
            if (0xD800..<0xDC00).contains(first), bytes[index...].starts(with: Array("\\u".utf8)) {
                let mark = index
                index += 2
                let second = try hexQuad()
                if (0xDC00..<0xE000).contains(second) {
                    return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
                }
                index = mark
            }
            guard let scalar = Unicode.Scalar(first) else {
                index -= 6
                throw error("\\u escape of an unpaired surrogate")
            }
            return scalar
        default:
            index -= 2
            throw error("invalid escape sequence (use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)")
        }
    }

    private mutating func hexQuad() throws(SyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek, let digit = Self.hexValue(byte) else { throw error("expected four hex digits after \\u") }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Skips whitespace and comments.
    private mutating func skipTrivia() throws(SyntaxError) {
        while let byte = peek {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
            case UInt8(ascii: "\n"):
                newline()
            case UInt8(ascii: "/") where next == UInt8(ascii: "/"):
                while let byte = peek, byte != UInt8(ascii: "\n") { index += 1 }
            case UInt8(ascii: "/") where next == UInt8(ascii: "*"):
                let start = position
                index += 2
                while !(peek == UInt8(ascii: "*") && next == UInt8(ascii: "/")) {
                    guard let byte = peek else {
                        throw SyntaxError(line: start.line, column: start.column, message: "unterminated /* comment")
                    }
                    if byte == UInt8(ascii: "\n") { newline() } else { index += 1 }
                }
                index += 2
            default:
                return
            }
        }
    }

    private mutating func newline() {
        index += 1
        line += 1
        lineStart = index
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
    private var next: UInt8? { index + 1 < bytes.count ? bytes[index + 1] : nil }

    /// The current position; the column counts Unicode scalars (UTF-8 bytes that do not continue a scalar).
    private var position: ConfigKeyPosition {
        let column = bytes[lineStart..<min(index, bytes.count)].reduce(1) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        return ConfigKeyPosition(line: line, column: column)
    }

    private func error(_ message: String) -> SyntaxError {
        SyntaxError(line: position.line, column: position.column, message: message)
    }
}
