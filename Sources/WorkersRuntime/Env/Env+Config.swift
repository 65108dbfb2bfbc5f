/// Assembling an ``Env`` from a config, secrets and command-line overrides.
extension Env {
    /// The environment a Worker gets from `config`, its secrets and `--var` overrides.
    ///
    /// Precedence, highest first: secrets (`.dev.vars`), then `--var` overrides (always strings), then `[vars]`,
    /// as in wrangler.
    /// - Parameters:
    ///   - config: supplies `[vars]`.
    ///   - secrets: from ``DotEnv/load(from:)`` or ``SecretsFile/values()``.
    ///   - varOverrides: `--var KEY:VALUE` pairs (see ``varOverrides(parsing:)``).
    ///   - bindings: KV namespaces and other bindings, by name.
    ///   - fetcher: what `env.fetch` uses.
    public static func make(
        config: WorkerConfig,
        secrets: [String: String],
        varOverrides: [String: String] = [:],
        bindings: [String: any Sendable] = [:],
        fetcher: any Fetcher = UnavailableFetcher()
    ) -> Env {
        var vars = config.vars
        for (name, value) in varOverrides { vars[name] = .string(value) }
        return Env(vars: vars, secrets: secrets, bindings: bindings, fetcher: fetcher)
    }

    /// Parses `--var` arguments written `KEY:VALUE` (split at the first colon, so values may contain colons).
    /// - Throws: ``EnvVarOverrideError`` for an argument without a colon or with an empty name.
    public static func varOverrides(parsing arguments: [String]) throws -> [String: String] {
        var overrides: [String: String] = [:]
        for argument in arguments {
            guard let colon = argument.firstIndex(of: ":"), colon != argument.startIndex else {
                throw EnvVarOverrideError(argument: argument)
            }
            overrides[String(argument[..<colon])] = String(argument[argument.index(after: colon)...])
        }
        return overrides
    }
}

/// A `--var` argument that is not `KEY:VALUE`.
public struct EnvVarOverrideError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The argument as given.
    public var argument: String

    /// Creates an error.
    public init(argument: String) {
        self.argument = argument
    }

    public var description: String { "--var expects KEY:VALUE, got \"\(argument)\"" }
}
