import Foundation
import HTTPTypes
import WorkersRuntime

/// The JWK Set of the provider's JWT signing keys (RFC 7517 §5) at ``AccessTokenSigning/jwksEndpoint``: the current
/// key and the retired ones still published, public parameters only.
enum JWKSEndpoint {
    /// How long a client may cache the set. Short: a key rotated in meanwhile signs tokens a resource server with
    /// a stale copy refetches for (it sees an unknown `kid`).
    static let maxAge = 60

    /// `GET` → `{"keys": [...]}` with `Cache-Control: public, max-age=60`; any other method `405`.
    static func respond(to request: Request, keys: SigningKeys, store: OAuthStore, env: Env) async throws -> Response {
        guard request.method == .get else {
            throw OAuthError(.invalidRequest, description: "Method not allowed", status: .methodNotAllowed, headers: [.allow: "GET"])
        }
        var response = ProviderResponses.json(JWKSetDocument(keys: try await keys.publishedKeys(store: store, env: env)))
        response.headers[.cacheControl] = "public, max-age=\(maxAge)"
        return response
    }
}
