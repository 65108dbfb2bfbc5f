import Foundation
import WorkersMCP
import WorkersOAuthProvider
import WorkersRuntime

/// Builds the example's worker from its environment.
///
/// - `OAuthProvider` in front: `/mcp` is the API route; `/token`, `/register` and the metadata documents are the
///   provider's; everything else (`/authorize`, `/callback`, `/`) goes to ``GitHubAuthHandler``.
/// - Secrets: `GITHUB_CLIENT_ID`, `GITHUB_CLIENT_SECRET`, `COOKIE_ENCRYPTION_KEY`. Without the GitHub pair, the
///   built-in ``DevelopmentIdentity`` stands in for GitHub (and a per-process cookie key is made if none is set).
/// - Vars: `GITHUB_OAUTH_BASE`, `GITHUB_API_BASE`, `GITHUB_SCOPES` (default `read:user`), `MCP_RESPONSE_MODE`
///   (`sse` or `json`), `MCP_ALLOWED_ORIGINS` (comma-separated browser origins besides loopback).
enum GitHubMCPWorker {
    /// The provider's endpoints and the scopes MCP clients may ask for.
    static let providerOptions = OAuthProvider.Options(
        authorizeEndpoint: "/authorize",
        tokenEndpoint: "/token",
        clientRegistrationEndpoint: "/register",
        scopesSupported: ["mcp"],
        // Every token is bound to this server's /mcp, whatever origin it is reached at (RFC 8707).
        resourceMetadata: ResourceMetadata(resource: "/mcp"),
        // MCP 2026-07-28 clients identify themselves with a metadata document URL; DCR stays for older ones.
        clientIDMetadataDocuments: true
    )

    static func make(env: Env, announce: Bool = true) throws -> Worker {
        let hasID = !(env.GITHUB_CLIENT_ID ?? "").isEmpty
        let hasSecret = !(env.GITHUB_CLIENT_SECRET ?? "").isEmpty
        guard hasID == hasSecret else {
            throw GitHubMCPError(
                "Set both GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET (or neither, for the development identity); only \(hasID ? "GITHUB_CLIENT_ID" : "GITHUB_CLIENT_SECRET") is set")
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
            githubScope: env.GITHUB_SCOPES ?? "read:user"
        )
        let mcp = GitHubTools.handler(configuration: mcpConfiguration(env))
        let provider = try OAuthProvider(apiHandlers: ["/mcp": mcp], defaultHandler: auth, options: providerOptions)
        try provider.checkEnvironment(env)
        if announce { printBanner(development: development != nil, env: env) }
        return Worker { request, env, ctx in
            let env = development?.install(into: env) ?? env
            return try await provider.fetch(request, env: env, ctx: ctx)
        }
    }

    static func mcpConfiguration(_ env: Env) -> MCPHandler.Configuration {
        let mode: MCPHandler.ResponseMode = env.MCP_RESPONSE_MODE?.lowercased() == "json" ? .json : .sse
        let extraOrigins = (env.MCP_ALLOWED_ORIGINS ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return MCPHandler.Configuration(
            responseMode: mode,
            allowedOrigins: MCPHandler.Configuration.loopbackOrigins + extraOrigins
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
