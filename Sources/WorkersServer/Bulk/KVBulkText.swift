/// Text from a bulk file or a namespace made safe for a terminal line.
enum KVBulkText {
    /// `text` with control characters (C0, DEL, C1) written as `\u{XX}`, so a key or reason cannot move the
    /// cursor, clear the screen or forge a line.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
