import Foundation
import Logging
import WorkersKV
import WorkersKVPostgres
import WorkersMCP
import WorkersOAuthProvider
import WorkersRuntime

/// Builds the example's worker from its environment.
///
/// - `OAuthProvider` in front: `/mcp` is the API route; `/token`, `/register` and the metadata documents are the
///   provider's; everything else (`/authorize`, `/callback`, `/`, the connected-apps page at `/apps`) goes to
///   ``GitHubAuthHandler``.
/// - Secrets: `GITHUB_CLIENT_ID`, `GITHUB_CLIENT_SECRET`, `COOKIE_ENCRYPTION_KEY`. Without the GitHub pair, the
///   built-in ``DevelopmentIdentity`` stands in for GitHub (and a per-process cookie key is made if none is set).
/// - `RESOURCE_SERVERS`: other MCP servers that trust this sign-in (``ResourceServers``); they get JWT access
///   tokens, signed with keys encrypted under the secret `SIGNING_KEY_ENCRYPTION_KEY`.
/// - Vars: `GITHUB_OAUTH_BASE`, `GITHUB_API_BASE`, `GITHUB_SCOPES` (default `read:user`), `MCP_RESPONSE_MODE`
///   (`sse` or `json`), `MCP_SESSION_MODE` (`stateful`, the default, or `stateless` for several instances behind a
///   load balancer), `MCP_ALLOWED_ORIGINS` (comma-separated browser origins besides loopback).
/// - Several instances (``isMultiInstance(sessionMode:onPostgres:)``: `MCP_SESSION_MODE = "stateless"` or `OAUTH_KV` on PostgreSQL) need
///   what every instance must share: `COOKIE_ENCRYPTION_KEY`, and GitHub credentials (a real app, or one
///   `github-stand-in` process that every instance points `GITHUB_OAUTH_BASE` and `GITHUB_API_BASE` at), since the
///   built-in development identity lives in one process's memory.
enum GitHubMCPWorker {
    /// The provider's endpoints and the scopes MCP clients may ask for.
    static let providerOptions = OAuthProvider.Options(
        authorizeEndpoint: "/authorize",
        tokenEndpoint: "/token",
        clientRegistrationEndpoint: "/register",
        // Resource servers registered with `oauth clients create` check opaque tokens (and read props) here.
        introspectionEndpoint: "/introspect",
        // `mcp` reads; `mcp:write` is needed by the tools that change something (GitHubTools.toolScopes).
        scopesSupported: ["mcp", GitHubTools.writeScope],
        // MCP 2026-07-28 clients identify themselves with a metadata document URL; DCR stays for older ones.
        clientIDMetadataDocuments: true
    )

    static func make(env: Env, announce: Bool = true) throws -> Worker {
        try build(env: env, announce: announce).worker
    }

    /// The worker and the provider inside it (tests administer the provider's signing keys).
    static func build(env: Env, announce: Bool = true) throws -> (worker: Worker, provider: OAuthProvider) {
        let hasID = !(env.GITHUB_CLIENT_ID ?? "").isEmpty
        let hasSecret = !(env.GITHUB_CLIENT_SECRET ?? "").isEmpty
        guard hasID == hasSecret else {
            throw GitHubMCPError(
                "Set both GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET (or neither, for the development identity); only \(hasID ? "GITHUB_CLIENT_ID" : "GITHUB_CLIENT_SECRET") is set")
        }
        let sessionMode = try Self.sessionMode(env)
        let onPostgres = env.kv(providerOptions.kvBinding) is PostgresKV
        if let reason = isMultiInstance(sessionMode: sessionMode, onPostgres: onPostgres) {
            if (env.COOKIE_ENCRYPTION_KEY ?? "").isEmpty {
                throw GitHubMCPError(
                    "COOKIE_ENCRYPTION_KEY is not set, and \(reason), so every instance must seal cookies with the same key: set it on every instance (32+ random characters, `swift run github-mcp secret put COOKIE_ENCRYPTION_KEY`)")
            }
            if !hasID {
                throw GitHubMCPError(
                    "GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET are not set, and \(reason): the built-in development identity lives in one process, so every instance must use one identity provider: a GitHub OAuth app, or one `github-stand-in --port P --client-id ID --client-secret SECRET` with GITHUB_OAUTH_BASE and GITHUB_API_BASE set to http://127.0.0.1:P")
            }
        }
        let development = hasID ? nil : DevelopmentIdentity()
        let cookieKey: String
        if let configured = env.COOKIE_ENCRYPTION_KEY, !configured.isEmpty {
            cookieKey = configured
        } else if development != nil {
            cookieKey = RandomToken.base64URL(byteCount: 32)
        } else {
            throw GitHubMCPError(
                "COOKIE_ENCRYPTION_KEY is not set: run `swift run github-mcp secret put COOKIE_ENCRYPTION_KEY` with 32+ random characters")
        }
        let auth = GitHubAuthHandler(
            development: development,
            cookies: try SealedCookie(secret: cookieKey),
            githubScope: env.GITHUB_SCOPES ?? "read:user",
            connectedApps: ConnectedAppsHandler(
                sessionCookies: try SealedCookie(secret: cookieKey, purpose: AppsSessionCookie.purpose),
                development: development != nil
            )
        )
        let mcp = GitHubTools.handler(configuration: mcpConfiguration(env, sessionMode: sessionMode))
        var options = providerOptions
        if onPostgres {
            // Every API call would read the token across the network: reuse a verified token for up to a second
            // (a revocation reaches every instance within it).
            options.verifiedTokenCacheTTL = .seconds(1)
        }
        let provider = try OAuthProvider(
            resources: resources(mcp: mcp) + ResourceServers.resources(env), defaultHandler: auth, options: options
        )
        try provider.checkEnvironment(env)
        if announce { printBanner(development: development != nil, env: env) }
        let worker = Worker(
            fetch: { request, env, ctx in
                let env = development?.install(into: env) ?? env
                return try await provider.fetch(request, env: env, ctx: ctx)
            },
            scheduled: { controller, env, ctx in
                try await purgeExpiredData(provider: provider, env: env, ctx: ctx, controller: controller)
            }
        )
        return (worker, provider)
    }

    /// The resources of the authorization server: this server's `/mcp` (every token bound to it, whatever origin it
    /// is reached at: RFC 8707), asking first for `mcp` alone (`mcp:write` by step-up, when a tool needs it).
    static func resources(mcp: MCPHandler) -> [OAuthProvider.Resource] {
        [
            .init(
                uri: "/mcp", scopes: ["mcp", GitHubTools.writeScope], handlers: ["/mcp": mcp], challengeScopes: ["mcp"],
                name: "GitHub (swift-workers example)"
            )
        ]
    }

    /// The scheduled event (`[triggers] crons` in wrangler.toml): removes expired and orphaned grants and tokens,
    /// to the end of the store, and logs what it removed. With several instances on one store, one runs it.
    static func purgeExpiredData(provider: OAuthProvider, env: Env, ctx: ExecutionContext, controller: ScheduledController) async throws {
        let helpers = try provider.helpers(env: env)
        var options = PurgeOptions()
        var grants = 0
        var tokens = 0
        while true {
            let result = try await helpers.purgeExpiredData(options)
            grants += result.grantsPurged
            tokens += result.tokensPurged
            guard !result.done, let cursor = result.cursor else { break }
            options.cursor = cursor
        }
        ctx.logger.notice("github-mcp: purged expired data (cron \"\(controller.cron)\"): \(grants) grants, \(tokens) tokens")
    }

    /// `MCP_SESSION_MODE`: `stateful` when unset.
    static func sessionMode(_ env: Env) throws -> MCPHandler.SessionMode {
        guard let name = env.MCP_SESSION_MODE, !name.isEmpty else { return .stateful }
        guard let mode = MCPHandler.SessionMode(name) else {
            throw GitHubMCPError("MCP_SESSION_MODE is \"\(name.escapedForLog)\": use \"stateful\" (one instance) or \"stateless\" (several behind a load balancer)")
        }
        return mode
    }

    /// Why this configuration is meant for several instances (stateless MCP, or a store on PostgreSQL), or `nil`.
    static func isMultiInstance(sessionMode: MCPHandler.SessionMode, onPostgres: Bool) -> String? {
        if sessionMode == .stateless { return "MCP_SESSION_MODE is \"stateless\" (several instances)" }
        if onPostgres { return "OAUTH_KV is on PostgreSQL (shared by several instances)" }
        return nil
    }

    static func mcpConfiguration(_ env: Env, sessionMode: MCPHandler.SessionMode = .stateful) -> MCPHandler.Configuration {
        let mode: MCPHandler.ResponseMode = env.MCP_RESPONSE_MODE?.lowercased() == "json" ? .json : .sse
        let extraOrigins = (env.MCP_ALLOWED_ORIGINS ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return MCPHandler.Configuration(
            sessionMode: sessionMode,
            responseMode: mode,
            allowedOrigins: MCPHandler.Configuration.loopbackOrigins + extraOrigins,
            toolScopes: GitHubTools.toolScopes
        )
    }

    static func printBanner(development: Bool, env: Env) {
        if development {
            say("""
                github-mcp: no GitHub credentials configured: signing in uses the built-in GitHub stand-in
                            (DEVELOPMENT IDENTITY "dev-user", not a real GitHub account; nothing leaves this machine).
                            Set GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET and COOKIE_ENCRYPTION_KEY to use GitHub
                            (docs/github-mcp.md).
                """)
        } else {
            say("github-mcp: GitHub sign-in via \(env.GITHUB_OAUTH_BASE ?? "https://github.com")")
        }
        say("github-mcp: connect an MCP client to <this server's origin>/mcp")
    }

    /// Writes a banner line to standard output unbuffered, so it appears before the server's own lines.
    private static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
