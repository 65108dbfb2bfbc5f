/// Scope token rules.
enum ScopeRules {
    /// Whether `scope` matches RFC 6749's `scope-token` grammar.
    static func isValidToken(_ scope: String) -> Bool {
        !scope.isEmpty && scope.unicodeScalars.allSatisfy { scalar in
            let value = scalar.value
            return value == 0x21 || (0x23...0x5B).contains(value) || (0x5D...0x7E).contains(value)
        }
    }

    /// Deduplicates, keeping order, and drops `offline_access` (an authorization-server capability, RFC 9728).
    static func publishable(_ scopes: [String]) -> [String] {
        var seen = Set<String>()
        return scopes.filter { $0 != "offline_access" && seen.insert($0).inserted }
    }

    /// Splits a space-delimited scope string.
    static func split(_ scope: String?) -> [String] {
        (scope ?? "").split(separator: " ").map(String.init)
    }

    /// Requested scopes filtered to `allowed`; all of `allowed` when nothing was requested.
    static func downscope(_ requested: String?, allowed: [String]) -> [String] {
        guard let requested else { return allowed }
        var seen = Set<String>()
        return split(requested).filter { allowed.contains($0) && seen.insert($0).inserted }
    }
}
