import Foundation
import HTTPTypes
import Synchronization
import Testing
import WorkersRuntime

@Suite("BearerTokenGuard: static tokens from secrets")
struct BearerTokenGuardTests {
    static let secretNames = ["MCP_SECRET_TOKEN", "MCP_SECRET_TOKEN_NEXT"]
    static let bearerGuard = BearerTokenGuard(secretNames: secretNames)

    private func request(authorization: String?) throws -> Request {
        var request = try Request(method: .post, url: "https://tools.example.com/mcp")
        if let authorization { request.headers[.authorization] = authorization }
        return request
    }

    private func check(_ authorization: String?, env: Env, guard bearerGuard: BearerTokenGuard = bearerGuard) async throws
        -> GuardDecision
    {
        try await bearerGuard.check(request(authorization: authorization), env: env)
    }

    /// The challenge and JSON body of a 401 denial.
    private func denial(_ decision: GuardDecision, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> (challenge: String?, body: JSONValue)
    {
        guard case .deny(let response) = decision else {
            Issue.record("expected a denial", sourceLocation: sourceLocation)
            return (nil, .null)
        }
        #expect(response.status == .unauthorized, sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "application/json", sourceLocation: sourceLocation)
        #expect(response.headers[.cacheControl] == "no-store", sourceLocation: sourceLocation)
        let body = try JSONValue(parsing: Data(try await response.body.text().utf8))
        return (response.headers[.wwwAuthenticate], body)
    }

    private func allowedProps(_ decision: GuardDecision) -> JSONValue? {
        if case .allow(let props, _) = decision { return props }
        return nil
    }

    @Test("rotation: old and new secrets are both accepted; props name the secret, never the token")
    func rotation() async throws {
        let env = Env(secrets: ["MCP_SECRET_TOKEN": "old-token-value", "MCP_SECRET_TOKEN_NEXT": "new-token-value"])
        let old = allowedProps(try await check("Bearer old-token-value", env: env))
        let new = allowedProps(try await check("Bearer new-token-value", env: env))
        #expect(old == ["method": "bearer_token", "token": "MCP_SECRET_TOKEN"])
        #expect(new == ["method": "bearer_token", "token": "MCP_SECRET_TOKEN_NEXT"])

        // Rotation finished: the old secret is removed and its token stops working.
        let rotated = Env(secrets: ["MCP_SECRET_TOKEN_NEXT": "new-token-value"])
        #expect(allowedProps(try await check("Bearer new-token-value", env: rotated)) != nil)
        let (challenge, body) = try await denial(try await check("Bearer old-token-value", env: rotated))
        #expect(challenge == #"Bearer realm="worker", error="invalid_token""#)
        #expect(body == ["error": "invalid_token", "error_description": "Invalid bearer token"])
    }

    @Test("the Bearer scheme is case-insensitive; token68 characters are accepted")
    func schemeCase() async throws {
        let env = Env(secrets: ["MCP_SECRET_TOKEN": "a-Z_0.9~+/tok=="])
        for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
            #expect(allowedProps(try await check("\(scheme) a-Z_0.9~+/tok==", env: env)) != nil, "\(scheme)")
        }
    }

    @Test("a missing Authorization header gets a challenge without an error code (RFC 6750 §3.1)")
    func missingHeader() async throws {
        let env = Env(secrets: ["MCP_SECRET_TOKEN": "secret"])
        let (challenge, body) = try await denial(try await check(nil, env: env))
        #expect(challenge == #"Bearer realm="worker""#)
        #expect(body == ["error": "unauthorized", "error_description": "Missing bearer token"])
        let custom = BearerTokenGuard(secretNames: ["MCP_SECRET_TOKEN"], realm: "tools")
        #expect(try await denial(try await check(nil, env: env, guard: custom)).challenge == #"Bearer realm="tools""#)
    }

    @Test(
        "empty and malformed headers are invalid_request",
        arguments: [
            "", "Bearer", "Bearer ", "Basic dXNlcjpzZWNyZXQ=", "Bearer secret extra", "Bearersecret", "Bearer sec,ret",
            "Bearer sécret", "Bearer\tsecret", "Token secret", "Bearer \"secret\"",
        ]
    )
    func malformed(header: String) async throws {
        let env = Env(secrets: ["MCP_SECRET_TOKEN": "secret"])
        let (challenge, body) = try await denial(try await check(header, env: env))
        #expect(challenge == #"Bearer realm="worker", error="invalid_request""#)
        #expect(body["error"] == "invalid_request")
    }

    @Test("near misses are rejected: prefix, extension, other case, the secret's name")
    func nearMisses() async throws {
        let env = Env(secrets: ["MCP_SECRET_TOKEN": "s3cret-token"])
        for candidate in ["s3cret-toke", "s3cret-token2", "S3CRET-TOKEN", "MCP_SECRET_TOKEN", "x"] {
            #expect(allowedProps(try await check("Bearer \(candidate)", env: env)) == nil, "\(candidate)")
        }
    }

    @Test("unset and empty secrets accept nothing (fail closed); a var of that name counts like a secret")
    func unsetSecrets() async throws {
        let unset = Env()
        #expect(Self.bearerGuard.acceptedTokens(in: unset).isEmpty)
        #expect(allowedProps(try await check("Bearer anything", env: unset)) == nil)

        let empty = Env(secrets: ["MCP_SECRET_TOKEN": "", "MCP_SECRET_TOKEN_NEXT": ""])
        #expect(Self.bearerGuard.acceptedTokens(in: empty).isEmpty)
        #expect(allowedProps(try await check("Bearer anything", env: empty)) == nil)

        let fromVars = Env(vars: ["MCP_SECRET_TOKEN": "from-vars"])
        #expect(allowedProps(try await check("Bearer from-vars", env: fromVars)) != nil)
    }

    @Test("tokens given directly: empty ones are ignored, each is named by position")
    func directTokens() async throws {
        let direct = BearerTokenGuard(tokens: ["", "first", "second"])
        #expect(direct.acceptedTokens(in: Env()).map(\.name) == ["token1", "token2"])
        let props = allowedProps(try await check("Bearer second", env: Env(), guard: direct))
        #expect(props == ["method": "bearer_token", "token": "token2"])
    }

    @Test("bearerToken(from:) extracts exactly one token68")
    func parsing() {
        #expect(BearerTokenGuard.bearerToken(from: "Bearer abc") == "abc")
        #expect(BearerTokenGuard.bearerToken(from: "bearer  abc") == "abc")
        #expect(BearerTokenGuard.bearerToken(from: "Bearer abc def") == nil)
        #expect(BearerTokenGuard.bearerToken(from: "Bearer") == nil)
        #expect(BearerTokenGuard.bearerToken(from: "Basic abc") == nil)
    }

    @Test("the comparison is SecureCompare: equal only for identical secrets, whatever the lengths")
    func secureCompare() {
        #expect(SecureCompare.equals("s3cret", "s3cret"))
        #expect(!SecureCompare.equals("s3cret", "s3cres"))
        #expect(!SecureCompare.equals("s3cret", "s3cret-longer"))
        #expect(!SecureCompare.equals("", "x"))
        #expect(SecureCompare.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!SecureCompare.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!SecureCompare.constantTimeEquals([1, 2], [1, 2, 3]))
    }

    @Test("behind .guarded(by:), the handler runs only when admitted and sees the props")
    func guardedHandler() async throws {
        final class Counter: Sendable { let value = Atomic(0) }
        let runs = Counter()
        let handler = FetchHandler { _, _, ctx in
            runs.value.add(1, ordering: .relaxed)
            return Response.text(ctx.props?["token"]?.stringValue ?? "-")
        }
        let protected = handler.guarded(by: Self.bearerGuard)
        let env = Env(secrets: ["MCP_SECRET_TOKEN": "secret"])
        let denied = try await protected.fetch(try request(authorization: "Bearer wrong"), env: env, ctx: ExecutionContext())
        #expect(denied.status == .unauthorized)
        #expect(runs.value.load(ordering: .relaxed) == 0)
        let admitted = try await protected.fetch(try request(authorization: "Bearer secret"), env: env, ctx: ExecutionContext())
        #expect(admitted.status == .ok)
        #expect(try await admitted.body.text() == "MCP_SECRET_TOKEN")
        #expect(runs.value.load(ordering: .relaxed) == 1)
    }
}
