public import Foundation

/// Writes `Encodable` values as compact JSON in one pass, straight into a byte buffer: no intermediate tree, no
/// per-call encoder objects. `Response.json` and the MCP handler's answers use it; on a small body it costs a
/// fraction of `JSONEncoder` (docs/benchmarks.md, "JSON writer").
///
/// **Same output as `JSONEncoder`** with `.withoutEscapingSlashes` and default strategies, up to key order within an
/// object (both follow the encoding order, `Dictionary` iteration order included) and number spelling (`1.0` may
/// be written `1`). `Data` is written as Base64, `URL` as its absolute string, `Date` through its own encoding (a
/// number), as `JSONEncoder` does by default.
///
/// **The fallback rule.** What a single forward pass cannot write exactly, it hands to `JSONEncoder` for the whole
/// value: `Decimal`, `superEncoder`, writing to a nested container after its parent moved on, a second single-value
/// write, non-finite numbers (for which `JSONEncoder` then throws its own error), and a top-level value that encodes
/// nothing. So the output is never a guess.
///
/// ```swift
/// let bytes = try JSONWriter.encode(["ok": true])   // {"ok":true}
/// ```
public enum JSONWriter {
    /// `value` as compact JSON bytes.
    /// - Throws: `JSONEncoder`'s error when `value` cannot be encoded at all.
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let output = JSONOutput()
        do {
            try output.writeValue(value, codingPath: [])
            guard output.count > 0, !output.needsFallback else { throw JSONOutput.Unsupported() }
            return output.result()
        } catch is JSONOutput.Unsupported {
            return [UInt8](try fallbackEncoder.encode(value))
        }
    }

    /// `value` as compact JSON `Data`.
    public static func encodeData(_ value: some Encodable) throws -> Data {
        Data(try encode(value))
    }

    /// `JSONEncoder` with this writer's settings, for what the writer hands over.
    static let fallbackEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()
}

// MARK: Values that write themselves

/// A value that writes its own JSON, which ``JSONWriter`` asks before going through `Encodable` (for the enum
/// shapes of a JSON value, where `Encodable` costs a container and a dynamic cast per element). What it writes
/// must be the JSON its `encode(to:)` produces.
public protocol JSONSelfWriting: Encodable {
    /// Appends this value's JSON to `buffer`.
    func writeJSON(to buffer: inout JSONWriter.Buffer) throws
}

extension JSONWriter {
    /// The bytes a ``JSONSelfWriting`` value appends to.
    public struct Buffer {
        var bytes: [UInt8]

        /// A string literal, escaped.
        public mutating func appendString(_ string: String) { JSONWriter.appendString(string, to: &bytes) }
        /// An integer.
        public mutating func appendInteger(_ value: some BinaryInteger) { JSONWriter.appendInteger(value, to: &bytes) }
        /// A finite number (`JSONEncoder`'s error for anything else).
        public mutating func appendDouble(_ value: Double) throws {
            do {
                try JSONWriter.appendDouble(value, to: &bytes)
            } catch {
                throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(value) is not a JSON number"))
            }
        }
        /// `true` or `false`.
        public mutating func appendBool(_ value: Bool) { bytes.append(contentsOf: value ? JSONOutput.trueBytes : JSONOutput.falseBytes) }
        /// `null`.
        public mutating func appendNull() { bytes.append(contentsOf: JSONOutput.nullBytes) }
        /// An array of values that write themselves.
        public mutating func appendArray(_ elements: [some JSONSelfWriting]) throws {
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                try element.writeJSON(to: &self)
            }
            bytes.append(UInt8(ascii: "]"))
        }
        /// An object of values that write themselves, in the dictionary's order.
        public mutating func appendObject(_ members: [String: some JSONSelfWriting]) throws {
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for (name, member) in members {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                appendString(name)
                bytes.append(UInt8(ascii: ":"))
                try member.writeJSON(to: &self)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }
}

// MARK: Bytes

extension JSONWriter {
    private static let hex = Array("0123456789abcdef".utf8)

    /// Appends `string` as a JSON string literal: quotes, backslashes and control characters escaped (`/` is not).
    static func appendString(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
                case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
                default:
                    bytes.append(contentsOf: Array("\\u00".utf8))
                    bytes.append(hex[Int(byte >> 4)])
                    bytes.append(hex[Int(byte & 0x0F)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends an integer in decimal.
    static func appendInteger(_ value: some BinaryInteger, to bytes: inout [UInt8]) {
        if value >= 0, value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    /// Appends a finite double.
    static func appendDouble(_ value: Double, to bytes: inout [UInt8]) throws(JSONOutput.Unsupported) {
        try appendFloatingPoint(value, to: &bytes)
    }

    /// Appends a finite float in its own shortest spelling (`0.1`, not the double nearest to it).
    static func appendFloat(_ value: Float, to bytes: inout [UInt8]) throws(JSONOutput.Unsupported) {
        try appendFloatingPoint(value, to: &bytes)
    }

    /// Appends a finite number: an integral value that every integer below it is exact in (below 2^53 for a
    /// double, 2^24 for a float) without a fraction, any other in Swift's shortest round-trip spelling (valid
    /// JSON). Non-finite values are not JSON.
    private static func appendFloatingPoint<F: BinaryFloatingPoint & LosslessStringConvertible>(
        _ value: F, to bytes: inout [UInt8]
    ) throws(JSONOutput.Unsupported) {
        guard value.isFinite else { throw JSONOutput.Unsupported() }
        let exactIntegers = F(sign: .plus, exponent: F.Exponent(F.significandBitCount + 1), significand: 1)
        if value.rounded() == value, abs(value) < exactIntegers {
            appendInteger(Int64(value), to: &bytes)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }
}
