import Foundation
import HTTPTypes
import WorkersOAuthResourceServer
import WorkersRuntime
import WorkersServer
import WorkersTesting

/// A resource server in front of a stand-in authorization server, on a test clock, fetching over real sockets.
struct ResourceServerFixture {
    static let resource = "https://notes.example.com/mcp"
    /// The clock every fixture starts at (the stand-in signs with `iat` from it).
    static let epoch = 1_800_000_000

    let authorizationServer: StandInAuthorizationServer
    let clock: TestClock
    let resourceServer: OAuthResourceServer

    /// A stand-in AS and a resource server trusting it; `configure` adjusts the configuration.
    static func start(
        discover: Bool = true,
        introspection: Bool = true,
        configure: (inout OAuthResourceServer.Configuration) -> Void = { _ in }
    ) async throws -> ResourceServerFixture {
        let authorizationServer = try await StandInAuthorizationServer.start()
        let clock = TestClock(Date(timeIntervalSince1970: TimeInterval(epoch)))
        var configuration = OAuthResourceServer.Configuration(
            resource: resource,
            issuer: authorizationServer.issuer,
            jwksURL: discover ? nil : authorizationServer.jwksURL,
            introspectionURL: discover ? nil : authorizationServer.introspectionURL,
            clientID: introspection ? authorizationServer.clientID : nil,
            clientSecret: introspection ? authorizationServer.clientSecret : nil,
            scopesSupported: ["notes:read", "notes:write"],
            resourceName: "Notes"
        )
        // No test here is about the deadline, and a loaded machine (the whole suite in parallel) has made a loopback
        // metadata fetch take longer than the 5 s default.
        configuration.fetchTimeout = .seconds(30)
        configure(&configuration)
        let resourceServer = try OAuthResourceServer(
            configuration: configuration,
            fetcher: HTTPClientFetcher(timeout: .seconds(15)),
            now: clock.nowFunction
        )
        return ResourceServerFixture(authorizationServer: authorizationServer, clock: clock, resourceServer: resourceServer)
    }

    /// The contract's claims for `sub` `ada`, issued now on the test clock.
    func claims(scope: String = "notes:read notes:write", lifetime: Int = 300) -> [String: JSONValue] {
        authorizationServer.claims(subject: "ada", audience: Self.resource, scope: scope, issuedAt: clock.seconds, lifetime: lifetime)
    }

    /// A valid JWT access token (ES256, `es-1`) unless `kid` says otherwise.
    func token(scope: String = "notes:read notes:write", kid: String = "es-1", lifetime: Int = 300) async throws -> String {
        try await authorizationServer.sign(.object(claims(scope: scope, lifetime: lifetime)), kid: kid)
    }

    /// The guard's decision for a request carrying `Authorization: Bearer <token>` (or none).
    func check(_ token: String?) async throws -> GuardDecision {
        var request = try Request(url: Self.resource)
        if let token { request.headers[.authorization] = "Bearer \(token)" }
        return try await resourceServer.check(request, env: Env())
    }

    func stop() async throws { try await authorizationServer.stop() }
}

extension GuardDecision {
    /// The token info of an `.allow`, or `nil`.
    var admitted: AccessTokenInfo? {
        if case .allow(_, let token) = self { return token }
        return nil
    }

    /// The props of an `.allow`, or `nil`.
    var props: JSONValue? {
        if case .allow(let props, _) = self { return props }
        return nil
    }

    /// The response of a `.deny`, or `nil`.
    var denied: Response? {
        if case .deny(let response) = self { return response }
        return nil
    }
}

extension Response {
    /// The JSON body.
    func json() async throws -> JSONValue {
        try JSONValue(parsing: Data(try await body.text().utf8))
    }
}

/// base64url without padding.
func base64URL(_ data: Data) -> String {
    data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}
