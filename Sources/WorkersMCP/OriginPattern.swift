/// Matches `Origin` values against patterns with an optional `:*` port wildcard.
enum OriginPattern {
    static func matches(_ origin: String, pattern: String) -> Bool {
        let origin = origin.lowercased()
        let pattern = pattern.lowercased()
        guard pattern.hasSuffix(":*") else { return origin == pattern }
        let prefix = pattern.dropLast(2) + ":"
        guard origin.hasPrefix(prefix) else { return false }
        let port = origin.dropFirst(prefix.count)
        return !port.isEmpty && port.allSatisfy(\.isASCII) && port.allSatisfy(\.isNumber)
    }
}
