/// The environment a Worker runs in: `[vars]`, secrets and bindings, plus outbound `fetch`.
///
/// Secrets override vars of the same name, as in wrangler. Names read naturally through dynamic member lookup:
///
/// ```swift
/// guard let clientID = env.GITHUB_CLIENT_ID else { ... }   // String?
/// let kv = env.kv("OAUTH_KV")                               // any KVNamespace (import WorkersKV)
/// let limits = env.json("LIMITS")?["perMinute"]             // a JSON var
/// ```
@dynamicMemberLookup
public struct Env: Sendable {
    /// `[vars]` from the config, and `--var` overrides. Plain strings are `.string`; tables and arrays keep their JSON.
    public var vars: [String: JSONValue]
    /// Secrets from `.dev.vars` (or the process environment in production).
    public var secrets: [String: String]
    /// Bindings by name: KV namespaces, the OAuth helpers, anything a host or dispatcher installs.
    public var bindings: [String: any Sendable]
    /// Sends outbound HTTP requests (``fetch(_:)``).
    public var fetcher: any Fetcher
    /// Sends outbound HTTP requests only to public addresses, for URLs that strangers choose (a client's metadata
    /// document): it refuses hosts that are, or resolve to, loopback, private or link-local addresses and connects
    /// to the address it checked (the Swift counterpart of Workers' `global_fetch_strictly_public`). The server
    /// installs one; an environment built without one refuses every call.
    public var publicFetcher: any Fetcher

    /// Creates an environment.
    public init(
        vars: [String: JSONValue] = [:],
        secrets: [String: String] = [:],
        bindings: [String: any Sendable] = [:],
        fetcher: any Fetcher = UnavailableFetcher(),
        publicFetcher: any Fetcher = UnavailableFetcher()
    ) {
        self.vars = vars
        self.secrets = secrets
        self.bindings = bindings
        self.fetcher = fetcher
        self.publicFetcher = publicFetcher
    }

    /// The secret or var `name` as a string (JSON vars as their JSON text), secrets first.
    public subscript(dynamicMember name: String) -> String? {
        string(name)
    }

    /// The secret or var `name` as a string (JSON vars as their JSON text), secrets first.
    public func string(_ name: String) -> String? {
        if let secret = secrets[name] { return secret }
        switch vars[name] {
        case nil: return nil
        case .string(let value): return value
        case let value?: return value.jsonString
        }
    }

    /// The var `name` as JSON (a secret is returned as `.string`).
    public func json(_ name: String) -> JSONValue? {
        if let secret = secrets[name] { return .string(secret) }
        return vars[name]
    }

    /// The binding `name`, when it exists and is a `T`.
    public func binding<T>(_ name: String, as type: T.Type = T.self) -> T? {
        bindings[name] as? T
    }

    /// Sends an outbound request through ``fetcher``, like the global `fetch()` in a Worker.
    public func fetch(_ request: Request) async throws -> Response {
        try await fetcher.fetch(request)
    }
}
