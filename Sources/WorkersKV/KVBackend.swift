public import Foundation

/// Where a KV binding keeps its data, chosen per binding in `wrangler.toml`.
///
/// ```toml
/// [[kv_namespaces]]
/// binding = "OAUTH_KV"
/// id = "0f2ac74b498b48028cb68387c421e279"
/// backend = "sqlite"          # our key: sqlite (default), file or memory
/// path = "data/oauth.sqlite"  # our key: optional, relative to the config's directory
/// ```
///
/// ```swift
/// let kv = try KVBackend.sqlite.open(binding: "OAUTH_KV", id: nil, at: nil, storageDirectory: stateDirectory)
/// ```
public enum KVBackend: String, Sendable, CaseIterable {
    /// ``SQLiteKV``: one database file per namespace. The default.
    case sqlite
    /// ``FileKV``: one file per key in a directory per namespace.
    case file
    /// ``MemoryKV``: nothing is kept after the process exits.
    case memory

    /// The backend used when the config names none.
    public static let `default` = KVBackend.sqlite

    /// Opens the namespace of a binding.
    /// - Parameters:
    ///   - binding: The binding name (`OAUTH_KV`).
    ///   - id: The namespace id from the config, if any. When given, it names the storage instead of the binding,
    ///     so two bindings of one namespace share data and renaming a binding keeps it (as wrangler's local mode).
    ///   - path: An explicit database file (sqlite) or directory (file); overrides the default location.
    ///   - storageDirectory: The state directory, `.wrangler/state` next to the config by default.
    ///   - sweepInterval: How often to delete expired entries in the background; `nil` never does (fine for a
    ///     one-shot CLI command; a server should sweep).
    ///   - now: The clock used for expiry.
    /// - Returns: The namespace; call `close()` on a ``SQLiteKV`` when done with it, or let it deinitialise.
    /// - Throws: When the storage cannot be created or opened, or the name cannot be a file name.
    public func open(
        binding: String,
        id: String? = nil,
        at path: URL? = nil,
        storageDirectory: URL,
        sweepInterval: Duration? = nil,
        now: @escaping @Sendable () -> Date = Date.init
    ) throws -> any KVNamespace {
        switch self {
        case .sqlite:
            let location = try path ?? defaultLocation(binding: binding, id: id, storageDirectory: storageDirectory)
            return try SQLiteKV(path: location, configuration: .init(sweepInterval: sweepInterval), now: now)
        case .file:
            let location = try path ?? defaultLocation(binding: binding, id: id, storageDirectory: storageDirectory)
            return try FileKV(directory: location, configuration: .init(sweepInterval: sweepInterval), now: now)
        case .memory:
            return MemoryKV(now: now)
        }
    }

    /// Where a namespace is kept when the config gives no `path`: `<storageDirectory>/kv/<name>.sqlite` for
    /// SQLite, `<storageDirectory>/kv/<name>/` for files, where `<name>` is the id if given, else the binding.
    /// - Throws: ``KVError`` when the name is empty, `.`/`..`, or contains `/` or a NUL byte.
    public func defaultLocation(binding: String, id: String?, storageDirectory: URL) throws -> URL {
        let name = id.flatMap { $0.isEmpty ? nil : $0 } ?? binding
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.contains("\0") else {
            throw KVError(operation: "OPEN", status: 400, message: "\"\(name)\" cannot name a KV namespace's storage.")
        }
        let kv = storageDirectory.appendingPathComponent("kv", isDirectory: true)
        switch self {
        case .sqlite: return kv.appendingPathComponent(name + ".sqlite", isDirectory: false)
        case .file, .memory: return kv.appendingPathComponent(name, isDirectory: true)
        }
    }
}
