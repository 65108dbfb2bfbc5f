public import Foundation
import HTTPTypes
public import WorkersOAuthProvider
public import WorkersRuntime

/// The provider configured for black-box conformance testing (the anchor's `conformance/` worker), as a ready
/// ``Worker``: the `conformance-fixture` executable only has to serve it.
///
/// - API routes `/mcp` and `/other-resource` answer `{authenticated, protocolVersion, props}`.
/// - `/authorize` consents synthetically for user `conformance-user` (scope `conformance:deny` is refused with an
///   `access_denied` redirect); its errors are 400 JSON, never redirects.
/// - RFC 7662 introspection is always on at `/oauth/introspect` (advertised in the metadata), for resource servers
///   registered through `/__fixture/clients` (operator-created, so they see props).
/// - `POST /__fixture/clients` with `{"token_endpoint_auth_method", "redirect_uris", "scope"?}` pre-registers a client
///   and answers 201 `{client_id, client_secret?}`. **Test-only**: it lets anyone register clients. With
///   ``clientCredentials`` a confidential one may also use the `client_credentials` grant (its `scope`, if given,
///   bounds what it may ask for).
/// - Every request URL is rewritten to the public origin before the provider sees it.
///
/// ```swift
/// let worker = try ConformanceProfile(origin: "https://mcp.example.com", canonicalResource: true).worker()
/// ```
public struct ConformanceProfile: Sendable {
    /// The public origin every emitted URL uses.
    public var origin: String
    /// Configure `<origin>/mcp` as the canonical resource (RFC 8707 strict profile).
    public var canonicalResource: Bool
    /// Serve dynamic client registration at `/oauth/register`.
    public var dynamicClientRegistration: Bool
    /// The protected resource's scopes (published in RFC 9728 metadata).
    public var resourceScopes: [String]
    /// Apply the provider's default rate limits (off by default: black-box suites register many clients in a burst).
    /// The registration size caps always apply.
    public var rateLimits: Bool
    /// Accept Client ID Metadata Documents (on by default here, as MCP 2026-07-28 expects); documents are fetched
    /// through `env.publicFetcher`.
    public var clientIDMetadataDocuments: Bool
    /// The KV binding.
    public var kvBinding: String
    /// ``WorkersOAuthProvider/OAuthProvider/Options/verifiedTokenCacheTTL`` (none by default).
    public var verifiedTokenCacheTTL: Duration?
    /// Enable the `client_credentials` grant for pre-registered confidential clients.
    public var clientCredentials = false
    /// The format of the access tokens for `/mcp` and `/other-resource` (opaque by default; JWTs need the secret
    /// `SIGNING_KEY_ENCRYPTION_KEY` in the environment).
    public var accessTokenFormat = AccessTokenFormat.opaque
    /// The clock.
    public var now: @Sendable () -> Date

    /// The path of the introspection endpoint.
    public static let introspectionPath = "/oauth/introspect"
    /// The user every synthetic consent is for.
    public static let userID = "conformance-user"
    /// The bearer token the external resolver answers with 403 `insufficient_scope`.
    public static let insufficientScopeToken = "valid-upstream-token-with-too-little-scope"

    /// Creates a profile.
    /// - Parameters:
    ///   - origin: The public origin, such as `https://mcp.example.com`.
    ///   - canonicalResource: Bind every token to `<origin>/mcp`.
    ///   - dynamicClientRegistration: Enable `/oauth/register`.
    ///   - resourceScopes: The resource's scopes, `["mcp:read"]` by default.
    ///   - rateLimits: Apply the provider's default registration and token rate limits.
    ///   - clientIDMetadataDocuments: Accept Client ID Metadata Documents.
    ///   - kvBinding: The KV binding name.
    ///   - now: The clock.
    public init(
        origin: String,
        canonicalResource: Bool = false,
        dynamicClientRegistration: Bool = true,
        resourceScopes: [String] = ["mcp:read"],
        rateLimits: Bool = false,
        clientIDMetadataDocuments: Bool = true,
        kvBinding: String = "OAUTH_KV",
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.origin = origin.hasSuffix("/") ? String(origin.dropLast()) : origin
        self.canonicalResource = canonicalResource
        self.dynamicClientRegistration = dynamicClientRegistration
        self.resourceScopes = resourceScopes
        self.rateLimits = rateLimits
        self.clientIDMetadataDocuments = clientIDMetadataDocuments
        self.kvBinding = kvBinding
        self.now = now
    }

    /// The provider options of the fixture.
    public var options: OAuthProvider.Options {
        var options = OAuthProvider.Options(
            authorizeEndpoint: "/authorize",
            tokenEndpoint: "/oauth/token",
            clientRegistrationEndpoint: dynamicClientRegistration ? "/oauth/register" : nil,
            introspectionEndpoint: Self.introspectionPath,
            scopesSupported: ["mcp:read", "mcp:write", "offline_access"],
            resourceMetadata: ResourceMetadata(
                resource: canonicalResource ? origin + "/mcp" : nil,
                authorizationServers: [origin],
                scopesSupported: resourceScopes,
                bearerMethodsSupported: ["header"],
                resourceName: "MCP auth conformance server"
            ),
            registrationRateLimit: rateLimits ? .registrationDefault : nil,
            tokenRateLimit: rateLimits ? .tokenDefault : nil,
            introspectionRateLimit: rateLimits ? .introspectionDefault : nil,
            allowClientCredentialsGrant: clientCredentials,
            clientIDMetadataDocuments: clientIDMetadataDocuments,
            kvBinding: kvBinding,
            resolveExternalToken: { input in
                guard input.token == Self.insufficientScopeToken else { return nil }
                throw ExternalTokenError(
                    .insufficientScope, description: "A write scope is required", status: .forbidden,
                    requiredScopes: ["mcp:read", "mcp:write", "mcp:write"]
                )
            },
            now: now
        )
        options.verifiedTokenCacheTTL = verifiedTokenCacheTTL
        options.accessTokenFormat = accessTokenFormat
        return options
    }

    /// The fixture as a Worker.
    /// - Throws: ``OAuthProviderError`` when the origin makes the options invalid (for example plain http on a
    ///   public host).
    public func worker() throws -> Worker {
        let provider = try OAuthProvider(
            apiRoute: ["/mcp", "/other-resource"],
            apiHandler: FetchHandler { request, _, ctx in
                let body: JSONValue = [
                    "authenticated": true,
                    "protocolVersion": request.header("MCP-Protocol-Version").map(JSONValue.string) ?? .null,
                    "props": ctx.props ?? .null,
                ]
                return try Response.json(body)
            },
            defaultHandler: FetchHandler(Self.consent),
            options: options
        )
        let origin = origin
        let options = options
        return Worker { request, env, ctx in
            var request = request
            var components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
            components?.scheme = nil
            components?.host = nil
            components?.port = nil
            if let relative = components?.string, let url = URL(string: origin + relative) { request.url = url }
            if request.path == "/__fixture/clients" {
                return try await Self.preregister(
                    request, helpers: provider.helpers(env: env), clientCredentials: options.allowClientCredentialsGrant
                )
            }
            return try await provider.fetch(request, env: env, ctx: ctx)
        }
    }

    private static func errorJSON(_ code: String, _ description: String) -> Response {
        .oauthError(code, description: description, status: .badRequest)
    }

    /// The default handler: synthetic consent at `/authorize`.
    @Sendable static func consent(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        guard request.path == "/authorize" else { return Response.text("Not found", status: .notFound) }
        guard let helpers = env.oauthProvider else { return errorJSON("server_error", "OAuth helpers missing") }
        do {
            let authRequest = try await helpers.parseAuthRequest(request)
            // Read from the query: the scope is not one the server supports, so the parsed request drops it.
            if (request.query("scope") ?? "").split(separator: " ").contains("conformance:deny") {
                let denied = AuthorizationError(
                    .accessDenied, description: "The user denied the request", redirectURI: authRequest.redirectURI,
                    state: authRequest.state, issuer: authRequest.issuer
                )
                return try Response.redirect(denied.redirectLocation ?? authRequest.redirectURI)
            }
            let done = try await helpers.completeAuthorization(
                CompleteAuthorizationOptions(
                    request: authRequest, userID: userID, metadata: ["suite": "mcp-auth-conformance"],
                    scope: authRequest.scope, props: ["subject": .string(userID)]
                )
            )
            return try Response.redirect(done.redirectTo)
        } catch let error as AuthorizationError {
            return errorJSON(error.code.rawValue, error.errorDescription)
        } catch {
            return errorJSON("invalid_request", "\(error)")
        }
    }

    /// `POST /__fixture/clients`: pre-registers a client through the helpers; with `clientCredentials`, a
    /// confidential one may also use that grant.
    static func preregister(_ request: Request, helpers: OAuthHelpers, clientCredentials: Bool) async throws -> Response {
        guard request.method == .post else { return Response.text("Method not allowed", status: .methodNotAllowed) }
        struct Body: Decodable {
            let token_endpoint_auth_method: String?
            let redirect_uris: [String]?
            let scope: String?
        }
        guard let body = try? request.json(as: Body.self) else { return errorJSON("invalid_request", "Invalid JSON") }
        let method = TokenEndpointAuthMethod(rawValue: body.token_endpoint_auth_method ?? "client_secret_basic")
        let registered = try await helpers.createClient(
            ClientInfo(
                redirectURIs: body.redirect_uris ?? ["https://client.example.com/callback"],
                clientName: "MCP conformance client",
                grantTypes: [.authorizationCode, .refreshToken] + (clientCredentials && method != .none ? [.clientCredentials] : []),
                responseTypes: [.code],
                tokenEndpointAuthMethod: method,
                scope: body.scope
            )
        )
        var result: [String: String] = ["client_id": registered.client.clientID]
        result["client_secret"] = registered.clientSecret
        return try Response.json(result, status: .created)
    }
}

extension OAuthProvider {
    /// The conformance fixture Worker (see ``ConformanceProfile``).
    public static func conformanceFixture(
        origin: String,
        canonicalResource: Bool = false,
        dynamicClientRegistration: Bool = true,
        resourceScopes: [String] = ["mcp:read"],
        rateLimits: Bool = false,
        clientIDMetadataDocuments: Bool = true,
        verifiedTokenCacheTTL: Duration? = nil,
        clientCredentials: Bool = false,
        accessTokenFormat: AccessTokenFormat = .opaque
    ) throws -> Worker {
        var profile = ConformanceProfile(
            origin: origin, canonicalResource: canonicalResource,
            dynamicClientRegistration: dynamicClientRegistration, resourceScopes: resourceScopes, rateLimits: rateLimits,
            clientIDMetadataDocuments: clientIDMetadataDocuments
        )
        profile.verifiedTokenCacheTTL = verifiedTokenCacheTTL
        profile.clientCredentials = clientCredentials
        profile.accessTokenFormat = accessTokenFormat
        return try profile.worker()
    }
}
