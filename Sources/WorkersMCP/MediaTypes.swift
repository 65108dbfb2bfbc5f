/// Media-type checks on `Accept` and `Content-Type` values, on their bytes: every MCP request carries both, and
/// splitting and trimming strings for them cost more than the JSON-RPC parsing.
enum MediaTypes {
    /// Whether the comma-separated `list` (an `Accept` value) has an element starting with `type` (ASCII case
    /// ignored; parameters such as `;q=0.9` may follow), as swift-sdk's validators read it.
    static func lists(_ list: String, _ type: String) -> Bool {
        var list = list
        return list.withUTF8 { bytes in
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: ",") { end += 1 }
                if startsWith(bytes, from: start, to: end, type) { return true }
                start = end + 1
            }
            return false
        }
    }

    /// Whether `value` (a `Content-Type` value) is `type`, before any parameters (ASCII case ignored).
    static func hasType(_ value: String, _ type: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            var end = 0
            while end < bytes.count, bytes[end] != UInt8(ascii: ";") { end += 1 }
            while end > 0, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
            var start = 0
            while start < end, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") { start += 1 }
            return end - start == type.utf8.count && startsWith(bytes, from: start, to: end, type)
        }
    }

    /// Whether `bytes[from..<to]`, after leading spaces, starts with `prefix` (ASCII case ignored).
    private static func startsWith(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int, _ prefix: String) -> Bool {
        var index = from
        while index < to, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
        guard to - index >= prefix.utf8.count else { return false }
        for expected in prefix.utf8 {
            var byte = bytes[index]
            if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") { byte += 32 }
            guard byte == expected else { return false }
            index += 1
        }
        return true
    }
}
