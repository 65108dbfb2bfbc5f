public import Foundation

/// One `[[kv_namespaces]]` entry.
///
/// ```toml
/// [[kv_namespaces]]
/// binding = "OAUTH_KV"
/// id = "06779da6940b431db6e566b4846d64db"
/// backend = "sqlite"      # this runtime's extra: "sqlite" (default), "file", "memory" or "postgres"
/// path = "data/oauth"     # this runtime's extra: where the namespace is stored (sqlite, file)
/// url_secret = "OAUTH_DB" # this runtime's extra (postgres): the secret holding the URL; DATABASE_URL by default
/// ```
public struct KVNamespaceConfig: Sendable, Equatable {
    /// The storage backends `backend` may name.
    public static let backends = ["sqlite", "file", "memory", "postgres"]

    /// The name the namespace is bound to on `env` (`env.kv("OAUTH_KV")`).
    public var binding: String
    /// The namespace id in Cloudflare (optional locally).
    public var id: String?
    /// `preview_id`: the id used by `wrangler dev`, when set.
    public var previewId: String?
    /// This runtime's extra: `sqlite`, `file` or `memory`; `nil` means the default.
    public var backend: String?
    /// This runtime's extra: where the namespace is stored, relative to the config's directory.
    public var path: String?
    /// This runtime's extra: the secret holding a database backend's connection URL (`DATABASE_URL` when unset).
    /// The URL itself is never written in the config: it holds a password.
    public var urlSecret: String?

    /// Creates a namespace entry.
    public init(
        binding: String, id: String? = nil, previewId: String? = nil, backend: String? = nil, path: String? = nil,
        urlSecret: String? = nil
    ) {
        self.binding = binding
        self.id = id
        self.previewId = previewId
        self.backend = backend
        self.path = path
        self.urlSecret = urlSecret
    }

    /// The identifier local storage is keyed by: `preview_id`, else `id`, else the binding name (like wrangler dev).
    public var localID: String {
        previewId ?? id ?? binding
    }

    /// ``path`` resolved against `directory` (usually ``WorkerConfig/directory``), when set.
    public func resolvedPath(in directory: URL) -> URL? {
        path.map { WorkerConfig.resolve(path: $0, in: directory) }
    }
}
