import Foundation
import WorkersMCP
import WorkersOAuthResourceServer
import WorkersRuntime

/// The notes example: an MCP server at `/mcp` (tools `whoami`, `add_note`, `list_notes`) for users signed in at a
/// separate authorization server, whose access tokens it checks with ``OAuthResourceServer``; the RFC 9728 document
/// is served at `/.well-known/oauth-protected-resource/mcp`.
///
/// Configured from vars and secrets:
/// - `AUTHORIZATION_SERVER` (var, required): the issuer URL of the trusted authorization server, e.g.
///   `https://as.example.com`; its keys and introspection endpoint are discovered from its RFC 8414 metadata.
/// - `RESOURCE_URI` (var, required): this server's canonical `/mcp` URI, e.g. `https://notes.example.com/mcp`, the
///   exact `aud` of the tokens it accepts.
/// - `INTROSPECTION_CLIENT_ID` (var or secret, optional) and `INTROSPECTION_CLIENT_SECRET` (secret, optional): a
///   confidential client of the authorization server; with them, opaque tokens are accepted through introspection.
/// - `JWKS_CACHE_TTL` and `JWKS_REFRESH_COOLDOWN` (vars, optional, seconds; 300 and 30 by default): how long the
///   authorization server's key set is kept before it is fetched again, and the least time between two fetches
///   (a key the server removed stops being accepted here within the first).
///
/// Scopes: `list_notes` needs `notes:read`, `add_note` needs `notes:write` (WorkersMCP's `toolScopes`); a call
/// without them is answered `403 insufficient_scope` (with the scope to ask for), so the client can step up. Notes
/// live in the `NOTES` KV binding under the token's `sub`; MCP sessions belong to the token's user and client.
enum NotesMCPWorker {
    /// The scopes this resource defines.
    static let scopes = ["notes:read", "notes:write"]

    /// Builds the worker; throws (refusing to start) with a message naming a missing or invalid var.
    static func make(env: Env) throws -> Worker {
        let resourceServer = try OAuthResourceServer(configuration: configuration(env: env))
        // The MCP handler refuses a tool call whose token lacks the tool's scopes before the tool runs; the guard in
        // front answers it `403 insufficient_scope` with the scopes to ask for.
        let mcp = NotesTools.handler()
        let protected = resourceServer.protect(mcp, at: ["/mcp"])
        return Worker { request, env, ctx in try await protected.fetch(request, env: env, ctx: ctx) }
    }

    /// The resource server's configuration from `env`.
    static func configuration(env: Env) throws -> OAuthResourceServer.Configuration {
        guard let issuer = env.AUTHORIZATION_SERVER, !issuer.isEmpty else {
            throw NotesConfigurationError("AUTHORIZATION_SERVER is not set: the issuer URL of the authorization server to trust")
        }
        guard let resource = env.RESOURCE_URI, !resource.isEmpty else {
            throw NotesConfigurationError("RESOURCE_URI is not set: this server's canonical /mcp URI, e.g. https://notes.example.com/mcp")
        }
        let clientID = env.INTROSPECTION_CLIENT_ID.flatMap { $0.isEmpty ? nil : $0 }
        let clientSecret = env.INTROSPECTION_CLIENT_SECRET.flatMap { $0.isEmpty ? nil : $0 }
        var configuration = OAuthResourceServer.Configuration(
            resource: resource,
            issuer: issuer,
            clientID: clientID,
            clientSecret: clientSecret,
            scopesSupported: scopes,
            resourceName: "Notes"
        )
        if let ttl = try seconds(env, "JWKS_CACHE_TTL") { configuration.jwksCacheTTL = ttl }
        if let cooldown = try seconds(env, "JWKS_REFRESH_COOLDOWN") { configuration.refreshCooldown = cooldown }
        return configuration
    }

    /// The var `name` as a number of seconds (`nil` when unset).
    private static func seconds(_ env: Env, _ name: String) throws -> TimeInterval? {
        guard let text = env.vars[name].flatMap({ $0.stringValue ?? $0.numberValue.map { String($0) } }), !text.isEmpty else {
            return nil
        }
        guard let seconds = TimeInterval(text), seconds >= 0, seconds <= 86_400 else {
            throw NotesConfigurationError("\(name) must be a number of seconds between 0 and 86400, got \(text.escapedForLog)")
        }
        return seconds
    }
}

/// The notes example cannot start; the message says which var to set.
struct NotesConfigurationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
