import Foundation

/// An `application/x-www-form-urlencoded` body or query: ordered name/value pairs, repeated names kept.
///
/// Parsing follows the WHATWG URL standard's form-urlencoded parser (`+` is a space, then percent-decoding), except
/// that malformed percent-encoding is an error instead of being passed through: OAuth endpoints must reject it.
public struct URLEncodedForm: Sendable, Equatable {
    /// The pairs in body order.
    public var pairs: [(name: String, value: String)]

    /// A malformed form body.
    public struct ParseError: Error, Equatable, Sendable {
        /// The offending pair, as it appeared in the body.
        public let pair: String
    }

    /// Creates a form from pairs.
    public init(_ pairs: [(name: String, value: String)] = []) {
        self.pairs = pairs
    }

    /// Parses form-urlencoded text.
    /// - Throws: ``ParseError`` when a name or value has malformed percent-encoding or is not UTF-8.
    public init(parsing text: String) throws {
        var pairs: [(name: String, value: String)] = []
        for piece in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]),
                let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            else {
                throw ParseError(pair: String(piece))
            }
            pairs.append((name, value))
        }
        self.pairs = pairs
    }

    /// Parses form-urlencoded text, keeping a pair whose encoding is malformed as its raw text (like browsers do).
    public init(lenientlyParsing text: String) {
        pairs = text.split(separator: "&", omittingEmptySubsequences: true).map { piece in
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let rawValue = parts.count > 1 ? parts[1] : ""
            return (Self.decode(parts[0]) ?? String(parts[0]), Self.decode(rawValue) ?? String(rawValue))
        }
    }

    /// The first value for `name`.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value for `name`, in order.
    public func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// Names that occur more than once, in first-seen order.
    public var repeatedNames: [String] {
        var seen = Set<String>()
        var repeated: [String] = []
        for (name, _) in pairs where !seen.insert(name).inserted && !repeated.contains(name) {
            repeated.append(name)
        }
        return repeated
    }

    /// Appends a pair.
    public mutating func append(_ name: String, _ value: String) {
        pairs.append((name, value))
    }

    /// The form serialised as form-urlencoded text.
    public var encoded: String {
        pairs.map { "\(Self.encode($0.name))=\(Self.encode($0.value))" }.joined(separator: "&")
    }

    public static func == (lhs: URLEncodedForm, rhs: URLEncodedForm) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.name == $1.name && $0.value == $1.value }
    }

    /// Percent-encodes a string for a form (spaces become `+`).
    public static func encode(_ string: String) -> String {
        var result = ""
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "*"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                result += "+"
            default:
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }

    /// Decodes one form component, or `nil` when its percent-encoding or UTF-8 is malformed.
    static func decode(_ component: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(component.utf8.count)
        var iterator = component.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
