/// HTML escaping for pages handlers render (consent pages, login pages, error pages).
public enum HTML {
    /// Escapes `text` for element content and for single- or double-quoted attribute values.
    ///
    /// ```swift
    /// let page = "<h1>\(HTML.escape(clientName)) wants access</h1>"
    /// ```
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
