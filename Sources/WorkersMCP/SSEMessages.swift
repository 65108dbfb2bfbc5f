import Foundation

/// Reads the `data` of `message` events out of a complete Server-Sent Events text.
enum SSEMessages {
    static func parse(_ data: Data) -> [Data] {
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        var messages: [Data] = []
        for block in text.components(separatedBy: "\n\n") {
            var event = "message"
            var lines: [String] = []
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("event:") {
                    event = line.dropFirst(6).trimmingCharacters(in: .whitespaces)
                } else if line.hasPrefix("data:") {
                    var value = line.dropFirst(5)
                    if value.hasPrefix(" ") { value = value.dropFirst() }
                    lines.append(String(value))
                }
            }
            let payload = lines.joined(separator: "\n")
            if event == "message", !payload.isEmpty { messages.append(Data(payload.utf8)) }
        }
        return messages
    }

    /// Whether `message` is a JSON-RPC response (it has an `id` and a `result` or `error`).
    static func isResponse(_ message: Data) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: message) as? [String: Any] else { return false }
        return object["id"] != nil && (object["result"] != nil || object["error"] != nil)
    }
}
