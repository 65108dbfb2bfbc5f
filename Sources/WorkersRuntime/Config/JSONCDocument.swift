/// A parsed `wrangler.json(c)`: its value, where each key and array element is written, and the keys written twice.
struct JSONCDocument: Sendable {
    var root: JSONValue
    /// The position of every object member (its name) and array element (its first character).
    var positions: [ConfigKeyPath: ConfigKeyPosition] = [:]
    /// Keys that appear more than once in their object, in the order the repeats were read; the last value is kept.
    var duplicates: [ConfigKeyPath] = []
}

extension JSONCDocument: ConfigKeyLocator {
    func position(of path: ConfigKeyPath) -> ConfigKeyPosition? {
        var components = path.components
        while !components.isEmpty {
            if let position = positions[ConfigKeyPath(components)] { return position }
            components.removeLast()
        }
        return nil
    }
}
