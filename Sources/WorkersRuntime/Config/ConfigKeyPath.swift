/// Where a value sits in a config file: `["env", "staging", "kv_namespaces", 0, "binding"]`.
struct ConfigKeyPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    var components: [Component]

    init(_ components: [Component]) {
        self.components = components
    }

    init(arrayLiteral elements: String...) {
        components = elements.map(Component.key)
    }

    func appending(_ key: String) -> ConfigKeyPath {
        ConfigKeyPath(components + [.key(key)])
    }

    func appending(index: Int) -> ConfigKeyPath {
        ConfigKeyPath(components + [.index(index)])
    }

    /// The last key name in the path, ignoring trailing indexes.
    var lastKey: String? {
        for component in components.reversed() {
            if case .key(let key) = component { return key }
        }
        return nil
    }

    /// `[dev] port`, `[env.staging] vars`, `[triggers] crons[1]`, `[kv_namespaces[0]] binding`, `name`.
    var description: String {
        guard let lastKeyIndex = components.lastIndex(where: { if case .key = $0 { true } else { false } }) else {
            return Self.render(components[...])
        }
        let table = components[..<lastKeyIndex]
        let key = Self.render(components[lastKeyIndex...])
        return table.isEmpty ? key : "[\(Self.render(table))] \(key)"
    }

    private static func render(_ components: ArraySlice<Component>) -> String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) && !key.isEmpty
                    ? key : "\"\(key)\""
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}
