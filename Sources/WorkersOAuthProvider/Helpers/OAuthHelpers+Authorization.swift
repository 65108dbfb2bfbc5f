import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// What ``OAuthHelpers/completeAuthorization(_:)`` needs once the user has consented.
public struct CompleteAuthorizationOptions: Sendable {
    /// The request from ``OAuthHelpers/parseAuthRequest(_:)``.
    public var request: AuthRequest
    /// The user's id; it must not contain `:` (tokens are `{userId}:{grantId}:{secret}`).
    public var userID: String
    /// Application metadata stored in plaintext with the grant (shown by ``OAuthHelpers/listUserGrants(_:limit:cursor:)``).
    public var metadata: JSONValue?
    /// The scopes granted.
    public var scope: [String]
    /// The props API handlers will see; stored encrypted.
    public var props: JSONValue
    /// Revoke the user's older grants for this client (the default).
    public var revokeExistingGrants: Bool

    /// Creates options.
    public init(
        request: AuthRequest,
        userID: String,
        metadata: JSONValue? = nil,
        scope: [String],
        props: JSONValue,
        revokeExistingGrants: Bool = true
    ) {
        self.request = request
        self.userID = userID
        self.metadata = metadata
        self.scope = scope
        self.props = props
        self.revokeExistingGrants = revokeExistingGrants
    }
}

extension OAuthHelpers {
    /// Parses and validates an authorization request (`/authorize?response_type=code&client_id=...`).
    ///
    /// Scopes outside ``OAuthProvider/Options/scopesSupported`` (when configured) are dropped, as the token endpoint
    /// drops them: the request asks for what this server has, never more.
    ///
    /// - Throws: ``AuthorizationError``: without a redirect URI for a repeated parameter, an unknown client or an
    ///   unregistered redirect URI (render it yourself), with one for later problems; follow
    ///   ``AuthorizationError/redirectLocation``, which is `nil` for clients that registered themselves.
    public func parseAuthRequest(_ request: Request) async throws -> AuthRequest {
        let query = request.searchParams
        // RFC 6749 §3.1: no parameter may appear twice (RFC 8707 resource indicators excepted). Which of two
        // client_ids or redirect_uris counts is exactly the ambiguity an attacker wants, so nothing is redirected.
        if let repeated = query.repeatedNames.first(where: { $0 != "resource" }) {
            throw AuthorizationError(.invalidRequest, description: "Request parameter \"\(repeated)\" must not be repeated")
        }
        let issuer: String
        do { issuer = try self.issuer(for: request) } catch let error as InsecureIssuerError {
            throw AuthorizationError(.invalidRequest, description: error.description)
        }
        guard let clientID = query["client_id"], !clientID.isEmpty else {
            throw AuthorizationError(.invalidRequest, description: "client_id is required")
        }
        guard let client = try await store.client(clientID) else {
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
            scope: supportedScopes(ScopeRules.split(query["scope"])),
            state: query["state"] ?? "",
            codeChallenge: query["code_challenge"],
            codeChallengeMethod: query["code_challenge_method"].map(CodeChallengeMethod.init(rawValue:)),
            resource: query.values("resource").nilIfEmpty,
            issuer: issuer
        )
        if authRequest.codeChallenge != nil, authRequest.codeChallengeMethod == nil {
            authRequest.codeChallengeMethod = .plain
        }
        try validate(&authRequest, client: client, responseTypeGiven: query["response_type"] != nil)
        return authRequest
    }

    /// `scopes` without duplicates and, when ``OAuthProvider/Options/scopesSupported`` is configured, without the
    /// scopes this server does not have.
    func supportedScopes(_ scopes: [String]) -> [String] {
        var seen = Set<String>()
        return scopes.filter { scope in
            (options.scopesSupported?.contains(scope) ?? true) && seen.insert(scope).inserted
        }
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
        if let origin = request.issuer, let configured = options.canonicalResource(at: origin) {
            if let resources = request.resource, resources != [configured] {
                throw fail(.invalidTarget, "The resource parameter must exactly match \(configured)")
            }
            request.resource = [configured]
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

    /// Records the user's consent: stores a grant with a single-use code (valid 600 s) and returns the redirect to
    /// the client (`code`, `state`, `iss`). Scopes outside ``OAuthProvider/Options/scopesSupported`` (when
    /// configured) are not granted.
    ///
    /// - Throws: ``OAuthProviderError`` for an invalid `userID`, unknown client or redirect URI (an ``AuthRequest``
    ///   that did not come from ``parseAuthRequest(_:)``); ``AuthorizationError`` when re-validation fails.
    public func completeAuthorization(_ completion: CompleteAuthorizationOptions) async throws -> CompletedAuthorization {
        let userID = completion.userID
        guard !userID.isEmpty, !userID.contains(":") else {
            throw OAuthProviderError("userID must be non-empty and must not contain \":\", got \"\(userID)\"")
        }
        var request = completion.request
        guard let client = try await store.client(request.clientID) else {
            throw OAuthProviderError("Invalid client_id \"\(request.clientID)\"")
        }
        guard RedirectURIRules.isAcceptable(request.redirectURI),
            RedirectURIRules.matches(request.redirectURI, registered: client.redirectURIs)
        else {
            throw OAuthProviderError("Invalid redirect URI. The redirect URI is not registered for this client.")
        }
        try validate(&request, client: client)

        let now = nowSeconds
        let grantID = TokenCrypto.randomString(length: TokenCrypto.idLength)
        let key = TokenCrypto.newPropsKey()
        let code = TokenParts.make(userId: userID, grantId: grantID)
        let grant = StoredGrant(
            id: grantID, clientId: client.clientID, userId: userID, scope: supportedScopes(completion.scope),
            metadata: completion.metadata, encryptedProps: try TokenCrypto.encryptProps(completion.props, key: key),
            createdAt: now, authCodeId: TokenCrypto.hash(code), authCodeWrappedKey: try TokenCrypto.wrapKey(key, with: code),
            codeChallenge: request.codeChallenge, codeChallengeMethod: request.codeChallengeMethod?.rawValue,
            resource: ResourceList(request.resource), redirectUri: request.redirectURI
        )
        try await store.putGrant(grant, expirationTtl: 600)
        try await keepRegistration(of: client, now: now)

        if completion.revokeExistingGrants {
            var cursor: String?
            var stale: [String] = []
            repeat {
                let page = try await listUserGrants(userID, limit: 1000, cursor: cursor)
                stale += page.items.filter { $0.clientID == client.clientID && $0.id != grantID }.map(\.id)
                cursor = page.cursor
            } while cursor != nil
            for id in stale {
                do { try await revokeGrant(id, userID: userID) } catch {
                    options.logger.warning("Could not revoke an older grant", metadata: ["grant": "\(id.escapedForLog)", "error": "\(String(describing: error).escapedForLog)"])
                }
            }
        }

        var items = [URLQueryItem(name: "code", value: code)]
        if !request.state.isEmpty { items.append(URLQueryItem(name: "state", value: request.state)) }
        if let issuer = request.issuer { items.append(URLQueryItem(name: "iss", value: issuer)) }
        return CompletedAuthorization(redirectTo: QueryEncoding.appending(items, to: request.redirectURI))
    }

    /// A dynamically registered client's first completed authorization: from now on it keeps the full
    /// ``OAuthProvider/Options/clientRegistrationTTL`` (counted from its registration) instead of
    /// ``OAuthProvider/Options/unusedClientRegistrationTTL``.
    private func keepRegistration(of client: ClientInfo, now: Int) async throws {
        guard client.registeredBy == .dynamicRegistration, client.firstAuthorizedAt == nil else { return }
        var kept = client
        kept.firstAuthorizedAt = now
        let expiration = options.clientRegistrationSeconds.map { max((client.registrationDate ?? now) + $0, now + 60) }
        try await store.write(OAuthStore.clientKey(client.clientID), kept, expiration: expiration)
    }
}

extension Array {
    var nilIfEmpty: [Element]? { isEmpty ? nil : self }
}
