public import Foundation

/// A Worker's configuration, read from `wrangler.toml`, `wrangler.json` or `wrangler.jsonc` in wrangler's own format.
///
/// Supported keys: `name`, `main` (ignored), `compatibility_date`, `[vars]`, `[[kv_namespaces]]`, `[triggers] crons`,
/// `[dev]`, `[env.NAME]` environments (with wrangler's inheritance rules) and this runtime's own
/// `[swift_workers]` section (``Host``). Unknown keys become ``warnings``, never failures.
///
/// ```swift
/// guard let file = WorkerConfig.find(startingAt: currentDirectory) else { ... }
/// let config = try WorkerConfig.load(from: file, environment: "staging")
/// for warning in config.warnings { logger.warning("\(warning)") }
/// ```
public struct WorkerConfig: Sendable {
    /// The Worker's name (`name`; in an environment without its own name, `<name>-<env>` as wrangler does).
    public var name: String?
    /// `compatibility_date` (`yyyy-mm-dd`), recorded but not interpreted.
    public var compatibilityDate: String?
    /// `[vars]`: strings become `.string`; numbers, Booleans, tables and arrays keep their JSON shape.
    public var vars: [String: JSONValue]
    /// `[[kv_namespaces]]`, in file order.
    public var kvNamespaces: [KVNamespaceConfig]
    /// `[triggers] crons`, exactly as written (each one is a valid ``CronExpression``).
    public var crons: [String]
    /// `[dev]`: where `serve` listens.
    public var dev: Dev
    /// `[swift_workers]`: this runtime's own settings (public origin, TLS, storage, proxies, limits).
    public var host: Host
    /// The environment selected with `--env`, if any.
    public var environment: String?
    /// The directory containing the config file; relative paths in the file resolve against it.
    public var directory: URL
    /// Problems that do not stop the Worker: unknown or unsupported keys, and the like.
    public var warnings: [String]

    /// Creates a configuration.
    /// - Parameters:
    ///   - host: this runtime's settings; `nil` means the defaults, with storage under `directory`.
    public init(
        name: String? = nil,
        compatibilityDate: String? = nil,
        vars: [String: JSONValue] = [:],
        kvNamespaces: [KVNamespaceConfig] = [],
        crons: [String] = [],
        dev: Dev = Dev(),
        host: Host? = nil,
        environment: String? = nil,
        directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true),
        warnings: [String] = []
    ) {
        self.name = name
        self.compatibilityDate = compatibilityDate
        self.vars = vars
        self.kvNamespaces = kvNamespaces
        self.crons = crons
        self.dev = dev
        self.host = host ?? Host(storageDir: directory.appendingPathComponent(Host.defaultStorageDir, isDirectory: true))
        self.environment = environment
        self.directory = directory
        self.warnings = warnings
    }

    /// The parsed ``crons``.
    public var cronExpressions: [CronExpression] {
        // Every cron was validated when the config was parsed.
        crons.compactMap { try? CronExpression($0) }
    }

    /// The KV namespace bound as `binding`, if configured.
    public func kvNamespace(_ binding: String) -> KVNamespaceConfig? {
        kvNamespaces.first { $0.binding == binding }
    }

    /// Resolves `path` against ``directory`` (an absolute path is returned as is).
    public func resolve(path: String) -> URL {
        Self.resolve(path: path, in: directory)
    }

    static func resolve(path: String, in directory: URL) -> URL {
        let expanded = NSString(string: path).expandingTildeInPath
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL }
        return directory.appendingPathComponent(expanded).standardizedFileURL
    }
}
