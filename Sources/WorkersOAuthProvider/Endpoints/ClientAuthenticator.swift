import Foundation
import HTTPTypes
import WorkersRuntime

/// Authenticates the client of a token-endpoint request: `client_secret_basic`, `client_secret_post` or `none`, the
/// registered method enforced exactly (RFC 6749 §2.3.1, RFC 7591 §2). Secrets are compared as SHA-256 hashes in
/// constant time.
struct ClientAuthenticator: Sendable {
    /// Parses the request's form and authenticates its client.
    /// - Parameters:
    ///   - request: The request.
    ///   - store: Where the client is read.
    ///   - repeatable: The parameters that may appear more than once (RFC 8707 `resource` at the token endpoint);
    ///     any other repeated parameter is `invalid_request`.
    /// - Throws: ``OAuthError`` (`invalid_request` for a malformed request, `invalid_client` 401 for failed
    ///   authentication, with `WWW-Authenticate: Basic` when Basic was tried) or ``DetailedOAuthError``.
    func authenticate(
        _ request: Request, store: OAuthStore, repeatable: Set<String> = ["resource"]
    ) async throws -> AuthenticatedClient {
        guard request.method == .post else {
            throw OAuthError(.invalidRequest, description: "Method not allowed", status: .methodNotAllowed)
        }
        guard request.mediaType == "application/x-www-form-urlencoded" else {
            throw OAuthError(.invalidRequest, description: "Content-Type must be application/x-www-form-urlencoded")
        }
        let form: URLEncodedForm
        do { form = try request.form() } catch {
            throw OAuthError(
                .invalidRequest, description: "Request body must be valid application/x-www-form-urlencoded data"
            )
        }
        if let repeated = form.repeatedNames.first(where: { !repeatable.contains($0) }) {
            throw OAuthError(.invalidRequest, description: "Request parameter \"\(repeated)\" must not be repeated")
        }

        var basicAttempted = false
        var clientID = form["client_id"]
        var secret = form["client_secret"]
        if let authorization = request.headers[.authorization],
            authorization.split(separator: " ", maxSplits: 1).first?.lowercased() == "basic"
        {
            basicAttempted = true
            // A body `client_id` alone is not a second method (RFC 6749 §2.3.1 names client_id *and* client_secret);
            // clients such as the official Python MCP SDK send it with Basic. A body secret, or another id, is refused.
            if form["client_secret"] != nil {
                throw OAuthError(.invalidRequest, description: "Client must not use multiple authentication methods")
            }
            guard let credentials = BasicCredentials(authorization) else {
                throw Self.invalidClient("Client authentication failed: invalid Basic credentials", basic: true)
            }
            if let bodyID = form["client_id"], bodyID != credentials.id {
                throw OAuthError(.invalidRequest, description: "client_id does not match the Basic credentials")
            }
            clientID = credentials.id
            secret = credentials.secret
        }
        guard let clientID, !clientID.isEmpty else { throw Self.invalidClient("Client ID is required", basic: basicAttempted) }
        let found: ClientInfo?
        do { found = try await store.client(clientID, requester: request.clientAddress) } catch let error as CIMDFetchError {
            // The anchor's wire answer for a document that cannot be used is that of an unknown client.
            throw DetailedOAuthError(
                error: Self.invalidClient("Client not found", basic: basicAttempted),
                detail: "metadata_resolution_failed: \(error.description)"
            )
        }
        guard let client = found else {
            throw Self.invalidClient("Client not found", basic: basicAttempted)
        }
        let presented: TokenEndpointAuthMethod =
            basicAttempted ? .clientSecretBasic : (form["client_secret"] != nil ? .clientSecretPost : .none)
        let registered = client.tokenEndpointAuthMethod
        let allowed =
            presented == registered
            || (presented.usesSecret && registered.usesSecret && client.authMethodExplicit != true)
        guard allowed else {
            throw DetailedOAuthError(
                error: Self.invalidClient("Client authentication failed", basic: basicAttempted),
                detail: "token_endpoint_auth_method_mismatch: registered \(registered.rawValue), presented \(presented.rawValue)"
            )
        }
        if presented != .none {
            guard let secret, !secret.isEmpty else {
                throw Self.invalidClient("Client authentication failed: missing client_secret", basic: basicAttempted)
            }
            guard let hash = client.clientSecret else {
                throw Self.invalidClient("Client authentication failed: client has no registered secret", basic: basicAttempted)
            }
            guard TokenCrypto.verify(secret, hash: hash) else {
                throw Self.invalidClient("Client authentication failed: invalid client_secret", basic: basicAttempted)
            }
        }
        return AuthenticatedClient(client: client, form: form)
    }

    /// `invalid_client` 401, with `WWW-Authenticate: Basic realm="OAuth"` when Basic was attempted (RFC 6749 §5.2).
    static func invalidClient(_ description: String, basic: Bool) -> OAuthError {
        var headers = HTTPFields()
        if basic { headers[.wwwAuthenticate] = "Basic realm=\"OAuth\"" }
        return OAuthError(.invalidClient, description: description, status: .unauthorized, headers: headers)
    }
}
