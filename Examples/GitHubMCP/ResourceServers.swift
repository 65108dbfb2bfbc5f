import Foundation
import WorkersOAuthProvider
import WorkersRuntime

/// Other MCP servers that trust this server's sign-in (`RESOURCE_SERVERS`): each becomes a resource of the
/// authorization server with JWT access tokens (RFC 9068), which it checks offline against `/.well-known/jwks.json`
/// (the `notes-mcp` example does, with `WorkersOAuthResourceServer`).
///
/// The var is a JSON array (a string holding one, or a TOML array of tables in `wrangler.toml`) of
/// `{"uri": "<canonical resource URI>", "scopes": ["…"], "name": "…"}`. The signing keys are encrypted under the
/// secret `SIGNING_KEY_ENCRYPTION_KEY` (32+ characters), which must then be set.
enum ResourceServers {
    struct Entry: Decodable {
        let uri: String
        let scopes: [String]?
        let name: String?
    }

    /// The resources `RESOURCE_SERVERS` names; none when it is unset.
    /// - Throws: ``GitHubMCPError`` for a value that is not such an array.
    static func resources(_ env: Env) throws -> [OAuthProvider.Resource] {
        guard let value = env.vars["RESOURCE_SERVERS"], value != .null else { return [] }
        let entries: [Entry]
        do {
            if let text = value.stringValue {
                entries = text.isEmpty ? [] : try JSONDecoder().decode([Entry].self, from: Data(text.utf8))
            } else {
                entries = try value.decode(as: [Entry].self)
            }
        } catch {
            throw GitHubMCPError(
                "RESOURCE_SERVERS must be a JSON array of {\"uri\": \"https://…/mcp\", \"scopes\": [\"…\"], \"name\": \"…\"}: \(String(describing: error).escapedForLog)")
        }
        return entries.map { .init(uri: $0.uri, scopes: $0.scopes ?? [], accessTokenFormat: .jwt, name: $0.name) }
    }
}
