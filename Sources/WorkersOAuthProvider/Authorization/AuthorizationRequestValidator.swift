import Foundation
import WorkersRuntime

/// Parses and validates authorization requests (RFC 6749 §4.1.1 with PKCE, RFC 8707 resources): behind
/// ``OAuthHelpers/parseAuthRequest(_:)``, and again behind ``OAuthHelpers/completeAuthorization(_:)``.
///
/// Errors before the client and its redirect URI are known carry no redirect URI; later ones do, and are
/// redirectable unless the client registered itself (``AuthorizationError/redirectLocation``).
struct AuthorizationRequestValidator: Sendable {
    let options: OAuthProvider.Options

    /// Parses `request`'s query into a validated ``AuthRequest``.
    func parse(_ request: Request, store: OAuthStore) async throws -> AuthRequest {
        let query = request.searchParams
        // RFC 6749 §3.1: no parameter may appear twice (RFC 8707 resource indicators excepted). Which of two
        // client_ids or redirect_uris counts is exactly the ambiguity an attacker wants, so nothing is redirected.
        if let repeated = query.repeatedNames.first(where: { $0 != "resource" }) {
            throw AuthorizationError(.invalidRequest, description: "Request parameter \"\(repeated)\" must not be repeated")
        }
        let issuer: String
        do { issuer = try Issuer.of(request, options: options) } catch {
            throw AuthorizationError(.invalidRequest, description: error.description)
        }
        guard let clientID = query["client_id"], !clientID.isEmpty else {
            throw AuthorizationError(.invalidRequest, description: "client_id is required")
        }
        let found: ClientInfo?
        do { found = try await store.client(clientID, requester: request.clientAddress) } catch let error as CIMDFetchError {
            // The document could not be used: say why, here (nothing about the client can be trusted to redirect to).
            throw AuthorizationError(error.retryAfter == nil ? .invalidRequest : .temporarilyUnavailable, description: error.description)
        }
        guard let client = found else {
            throw AuthorizationError(.invalidRequest, description: "Invalid client_id")
        }
        guard let redirectURI = query["redirect_uri"], RedirectURIRules.isAcceptable(redirectURI),
            RedirectURIRules.matches(redirectURI, registered: client.redirectURIs)
        else {
            throw AuthorizationError(.invalidRequest, description: "Invalid redirect URI")
        }
        var authRequest = AuthRequest(
            responseType: ResponseType(rawValue: query["response_type"] ?? ""),
            clientID: clientID,
            redirectURI: redirectURI,
            scope: ScopeRules.split(query["scope"]),
            state: query["state"] ?? "",
            codeChallenge: query["code_challenge"],
            codeChallengeMethod: query["code_challenge_method"].map(CodeChallengeMethod.init(rawValue:)),
            resource: { let resources = query.values("resource"); return resources.isEmpty ? nil : resources }(),
            issuer: issuer
        )
        if authRequest.codeChallenge != nil, authRequest.codeChallengeMethod == nil {
            authRequest.codeChallengeMethod = .plain
        }
        try validate(&authRequest, client: client, responseTypeGiven: query["response_type"] != nil)
        authRequest.scope = supportedScopes(authRequest.scope, resource: authRequest.resource?.first, origin: issuer)
        return authRequest
    }

    /// `scopes` without duplicates and without the scopes this server does not have for `resource`: the resource's
    /// own scopes when it declares some (``OAuthProvider/Resource/scopes``, plus `offline_access` when
    /// ``OAuthProvider/Options/scopesSupported`` lists it), else ``OAuthProvider/Options/scopesSupported`` when
    /// configured.
    /// - Parameters:
    ///   - scopes: The scopes asked for.
    ///   - resource: The canonical resource they are for.
    ///   - origin: The origin `resource` was resolved at (a path resource's).
    func supportedScopes(_ scopes: [String], resource: String? = nil, origin: String = "") -> [String] {
        let allowed = allowedScopes(resource: resource, origin: origin)
        var seen = Set<String>()
        return scopes.filter { scope in (allowed?.contains(scope) ?? true) && seen.insert(scope).inserted }
    }

    /// The scopes a token for `resource` may hold; `nil` when no scope list is configured (any scope).
    func allowedScopes(resource: String?, origin: String) -> Set<String>? {
        if let resource, let entry = options.resources.entry(resource, at: origin), !entry.scopes.isEmpty {
            let offline = options.scopesSupported?.contains("offline_access") == true ? ["offline_access"] : []
            return Set(entry.scopes + offline)
        }
        return options.scopesSupported.map(Set.init)
    }

    /// The checks after client and redirect URI: resource, response type, PKCE. Errors carry the redirect URI (and
    /// are redirectable unless the client registered itself).
    func validate(_ request: inout AuthRequest, client: ClientInfo, responseTypeGiven: Bool = true) throws {
        func fail(_ code: AuthorizationError.Code, _ description: String) -> AuthorizationError {
            AuthorizationError(
                code, description: description, redirectURI: request.redirectURI, state: request.state,
                issuer: request.issuer, clientRegisteredItself: client.registeredItself
            )
        }
        if let resources = request.resource {
            if resources.contains(where: { !ResourceRules.isValid($0) }) {
                throw fail(.invalidTarget, ResourceRules.invalidDescription)
            }
        }
        if let origin = request.issuer, let configured = options.resources.canonicalURIs(at: origin), let fallback = configured.first {
            // One resource per authorization (grants are per user, client and resource): the one asked for, else the
            // default.
            if let resources = request.resource, resources.count != 1 || !configured.contains(resources[0]) {
                throw fail(
                    .invalidTarget,
                    configured.count == 1
                        ? "The resource parameter must exactly match \(fallback)"
                        : "The resource parameter must name exactly one of this server's resources"
                )
            }
            request.resource = request.resource ?? [fallback]
        } else if let origin = request.issuer, let foreign = request.resource?.first(where: { !ResourceRules.isOnOrigin($0, origin) }) {
            throw fail(.invalidTarget, "The resource \(foreign) is not served by this server (\(origin))")
        }
        if !responseTypeGiven || request.responseType.rawValue.isEmpty {
            throw fail(.invalidRequest, "response_type is required")
        }
        guard request.responseType == .code else {
            throw fail(.unsupportedResponseType, "Unsupported response_type: \(request.responseType.rawValue)")
        }
        guard (client.responseTypes ?? [.code]).contains(request.responseType),
            client.allowedGrantTypes.contains(.authorizationCode)
        else {
            throw fail(.unauthorizedClient, "The client is not allowed to use response_type \(request.responseType.rawValue)")
        }
        if let challenge = request.codeChallenge {
            let method = request.codeChallengeMethod ?? .plain
            guard method == .plain || method == .s256 else {
                throw fail(.invalidRequest, "Unsupported PKCE code_challenge_method: \(method.rawValue)")
            }
            guard options.challengeMethods.contains(method) else {
                throw fail(.invalidRequest, "The plain PKCE method is not allowed. Use S256 instead.")
            }
            guard PKCE.isWellFormed(challenge) else {
                throw fail(.invalidRequest, "code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636)")
            }
        } else if request.codeChallengeMethod != nil {
            throw fail(.invalidRequest, "PKCE code_challenge is required when code_challenge_method is provided.")
        } else if client.isPublic {
            throw fail(.invalidRequest, "Public clients must use PKCE with the authorization code flow.")
        }
    }
}
