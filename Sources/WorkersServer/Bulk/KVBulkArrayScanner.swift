#if canImport(Glibc)
import Glibc
#endif

/// Splits a top-level JSON array, fed in chunks of any size, into its elements' bytes, holding at most one element
/// (and never more than ``maxElementBytes`` of it) in memory: what lets `kv bulk put` read a 1 GB file in constant
/// memory.
///
/// It checks the array's structure (the opening `[`, commas, brackets that match, the closing `]`, nothing but
/// whitespace after it) and where each element starts and ends, but not what is inside an element: the caller
/// parses each element, so a malformed element is reported with its index while the rest of the file goes on.
///
/// ```swift
/// var scanner = KVBulkArrayScanner(maxElementBytes: 1 << 20)
/// var elements: [KVBulkArrayScanner.Element] = []
/// try scanner.feed(Array(#"[{"key":"a","value":"1"},"#.utf8), into: &elements)
/// try scanner.feed(Array(#"{"key":"b","value":"2"}]"#.utf8), into: &elements)
/// try scanner.finish()  // elements: two .complete
/// ```
struct KVBulkArrayScanner {
    /// One element of the array.
    enum Element: Equatable {
        /// The element's bytes (leading and trailing whitespace excluded), 0-based `index`.
        case complete(index: Int, bytes: [UInt8])
        /// An element longer than the limit: its bytes were dropped as they came.
        case oversized(index: Int, byteCount: Int)
    }

    /// A file that is not one well-formed JSON array.
    struct StructureError: Error, Equatable, CustomStringConvertible {
        /// The 0-based byte offset where the problem was found.
        let offset: Int
        let message: String
        var description: String { "\(message) (at byte \(offset))" }
    }

    private enum State {
        case beforeArray, firstElementOrEnd, element, afterElement, nextElement, done
    }

    /// The longest element kept; longer ones are reported as ``Element/oversized(index:byteCount:)``.
    let maxElementBytes: Int
    /// The deepest nesting inside an element.
    let maxDepth: Int
    /// Bytes consumed so far.
    private(set) var offset = 0
    /// Elements started so far.
    private(set) var elementCount = 0

    private var state = State.beforeArray
    private var open: [UInt8] = []
    private var inString = false
    private var escaped = false
    private var current: [UInt8] = []
    private var currentCount = 0

    init(maxElementBytes: Int, maxDepth: Int = 512) {
        self.maxElementBytes = maxElementBytes
        self.maxDepth = maxDepth
    }

    /// Consumes `chunk`, appending every element it completes to `elements`.
    /// - Throws: ``StructureError`` when the bytes cannot be part of one JSON array.
    mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, into elements: inout [Element]) throws(StructureError) {
        guard let base = chunk.baseAddress else { return }
        var index = 0
        while index < chunk.count {
            if state == .element, inString, !escaped {
                // Inside a string only `"` and `\` matter: skip to the first of them with memchr and copy the run.
                let run = Self.plainRun(base + index, count: chunk.count - index)
                if run > 0 {
                    append(UnsafeBufferPointer(start: base + index, count: run))
                    offset += run
                    index += run
                    continue
                }
            }
            try consume(base[index], into: &elements)
            offset += 1
            index += 1
        }
    }

    /// How many bytes from `start` come before the first quote or backslash (all `count` when there is none).
    private static func plainRun(_ start: UnsafePointer<UInt8>, count: Int) -> Int {
        func distance(to found: UnsafeMutableRawPointer?, else fallback: Int) -> Int {
            found.map { UnsafeRawPointer(start).distance(to: UnsafeRawPointer($0)) } ?? fallback
        }
        let quote = distance(to: memchr(start, Int32(UInt8(ascii: "\"")), count), else: count)
        return distance(to: memchr(start, Int32(UInt8(ascii: "\\")), quote), else: quote)
    }

    /// Consumes `chunk`, appending every element it completes to `elements`.
    /// - Throws: ``StructureError`` when the bytes cannot be part of one JSON array.
    mutating func feed(_ chunk: [UInt8], into elements: inout [Element]) throws(StructureError) {
        try chunk.withUnsafeBufferPointer { (buffer) throws(StructureError) in try feed(buffer, into: &elements) }
    }

    /// Checks that the input ended with the array complete.
    /// - Throws: ``StructureError`` for an empty or truncated input.
    func finish() throws(StructureError) {
        switch state {
        case .done: return
        case .beforeArray: throw StructureError(offset: offset, message: "The file is empty: expected a JSON array")
        default:
            throw StructureError(
                offset: offset,
                message: "The file ends inside the array (truncated?) after \(elementCount) element\(elementCount == 1 ? "" : "s")"
            )
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private mutating func consume(_ byte: UInt8, into elements: inout [Element]) throws(StructureError) {
        switch state {
        case .element:
            try consumeInElement(byte, into: &elements)
        case .beforeArray:
            if Self.isWhitespace(byte) { return }
            // A UTF-8 byte order mark some editors write.
            if offset < 3, byte == [0xEF, 0xBB, 0xBF][offset] { return }
            guard byte == UInt8(ascii: "[") else { throw unexpected(byte, expected: "a JSON array ('[')") }
            state = .firstElementOrEnd
        case .firstElementOrEnd, .nextElement:
            if Self.isWhitespace(byte) { return }
            if byte == UInt8(ascii: "]"), state == .firstElementOrEnd {
                state = .done
                return
            }
            guard byte != UInt8(ascii: "]"), byte != UInt8(ascii: ",") else {
                throw unexpected(byte, expected: "an element")
            }
            state = .element
            try consumeInElement(byte, into: &elements)
        case .afterElement:
            if Self.isWhitespace(byte) { return }
            if byte == UInt8(ascii: ",") {
                state = .nextElement
            } else if byte == UInt8(ascii: "]") {
                state = .done
            } else {
                throw unexpected(byte, expected: "',' or ']'")
            }
        case .done:
            guard Self.isWhitespace(byte) else { throw unexpected(byte, expected: "nothing after the array") }
        }
    }

    private mutating func consumeInElement(_ byte: UInt8, into elements: inout [Element]) throws(StructureError) {
        if inString {
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
            }
            append(byte)
            return
        }
        switch byte {
        case UInt8(ascii: "\""):
            inString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard open.count < maxDepth else {
                throw StructureError(offset: offset, message: "Element \(elementCount) nests deeper than \(maxDepth) levels")
            }
            open.append(byte)
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            guard let last = open.last else {
                if byte == UInt8(ascii: "]") {
                    endElement(into: &elements)
                    state = .done
                    return
                }
                throw unexpected(byte, expected: "',' or ']'")
            }
            guard (last == UInt8(ascii: "{")) == (byte == UInt8(ascii: "}")) else {
                throw unexpected(byte, expected: last == UInt8(ascii: "{") ? "'}'" : "']'")
            }
            open.removeLast()
        case UInt8(ascii: ",") where open.isEmpty:
            endElement(into: &elements)
            state = .nextElement
            return
        case _ where open.isEmpty && Self.isWhitespace(byte):
            endElement(into: &elements)
            state = .afterElement
            return
        default:
            break
        }
        append(byte)
    }

    private mutating func append(_ byte: UInt8) {
        currentCount += 1
        if currentCount <= maxElementBytes {
            current.append(byte)
        } else if !current.isEmpty {
            current = []
        }
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        currentCount += bytes.count
        if currentCount <= maxElementBytes {
            current.append(contentsOf: bytes)
        } else if !current.isEmpty {
            current = []
        }
    }

    private mutating func endElement(into elements: inout [Element]) {
        if currentCount > maxElementBytes {
            elements.append(.oversized(index: elementCount, byteCount: currentCount))
        } else {
            elements.append(.complete(index: elementCount, bytes: current))
        }
        elementCount += 1
        current = []
        currentCount = 0
    }

    private func unexpected(_ byte: UInt8, expected: String) -> StructureError {
        let found = (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
        return StructureError(offset: offset, message: "Expected \(expected) but found \(found)")
    }
}
