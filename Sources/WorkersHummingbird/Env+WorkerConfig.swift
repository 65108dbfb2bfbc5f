public import Logging
public import WorkersRuntime
import WorkersServer

extension Env {
    /// The environment `serve` would give a Worker with `config`: its vars, `secrets`, every `[[kv_namespaces]]`
    /// binding opened (SQLite under the storage directory by default), and outbound fetchers.
    ///
    /// ```swift
    /// let config = try WorkerConfig.load(from: WorkerConfig.find(startingAt: directory)!)
    /// let secrets = try SecretsFile(config: config, environment: nil).values()
    /// let env = try Env.withBindings(of: config, secrets: secrets)
    /// ```
    /// - Parameters:
    ///   - config: A loaded `wrangler.toml` / `wrangler.json(c)`.
    ///   - secrets: Secret values (a `.dev.vars`'s, or the process environment's).
    ///   - sweepInterval: How often KV namespaces delete expired entries in the background (as `serve`: every 5
    ///     minutes); `nil` never.
    ///   - logger: Where the config's warnings are logged.
    /// - Throws: when a binding cannot be opened (its backend is unknown, its file cannot be created).
    public static func withBindings(
        of config: WorkerConfig, secrets: [String: String] = [:], sweepInterval: Duration? = .seconds(300),
        logger: Logger = Logger(label: "workers.hummingbird")
    ) throws -> Env {
        try WorkerHost(config: config, secrets: secrets, varOverrides: [:], sweepInterval: sweepInterval, logger: logger).env
    }
}
