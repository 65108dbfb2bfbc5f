import Crypto
import Foundation
import HTTPTypes
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime

/// Pre-mints what the load generator presents: authorization codes (with their PKCE verifiers), refresh tokens and
/// an access token, all through the provider's own helpers and token endpoint (in process, on the same KV file the
/// server will open).
struct Minter {
    let setup: BenchmarkSetup
    let provider: OAuthProvider
    let env: Env
    let helpers: OAuthHelpers

    init(setup: BenchmarkSetup, provider: OAuthProvider, env: Env) throws {
        self.setup = setup
        self.provider = provider
        self.env = env
        self.helpers = try provider.helpers(env: env)
    }

    /// A minted authorization code and the PKCE verifier that redeems it.
    struct Code: Sendable {
        let code: String
        let verifier: String
    }

    /// The tokens of a successful token response.
    struct Tokens: Sendable {
        let accessToken: String
        let refreshToken: String
    }

    /// A mint step that did not go as the provider documents.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// `Authorization: Basic ...` for the benchmark client (`client_secret_basic`).
    static var basicAuthorization: String {
        "Basic " + Data("\(BenchmarkSetup.clientID):\(BenchmarkSetup.clientSecret)".utf8).base64EncodedString()
    }

    /// Registers the confidential benchmark client (replacing an earlier registration).
    func registerClient() async throws {
        _ = try await helpers.createClient(
            ClientInfo(
                clientID: BenchmarkSetup.clientID,
                clientSecret: BenchmarkSetup.clientSecret,
                redirectURIs: [BenchmarkSetup.redirectURI],
                tokenEndpointAuthMethod: .clientSecretBasic
            )
        )
    }

    /// Records a consent for `userID` with an S256 PKCE challenge, as an `/authorize` handler would.
    func mintCode(userID: String) async throws -> Code {
        let verifier = Self.randomVerifier()
        let challenge = Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncoded
        let request = AuthRequest(
            clientID: BenchmarkSetup.clientID,
            redirectURI: BenchmarkSetup.redirectURI,
            scope: BenchmarkSetup.scope,
            state: "s",
            codeChallenge: challenge,
            codeChallengeMethod: .s256,
            resource: [setup.resource],
            issuer: setup.origin
        )
        let done = try await helpers.completeAuthorization(
            CompleteAuthorizationOptions(
                request: request, userID: userID, scope: BenchmarkSetup.scope, props: ["login": .string(userID)],
                revokeExistingGrants: false
            )
        )
        guard let code = URLComponents(string: done.redirectTo)?.queryItems?.first(where: { $0.name == "code" })?.value
        else { throw Failure(description: "no code in \(done.redirectTo)") }
        return Code(code: code, verifier: verifier)
    }

    /// Mints `count` codes, `parallelism` at a time, spread over 100 users.
    func mintCodes(_ count: Int, parallelism: Int = 8) async throws -> [Code] {
        try await withThrowingTaskGroup(of: (Int, Code).self) { group in
            var codes = [Code?](repeating: nil, count: count)
            var next = 0
            func add() {
                let index = next
                next += 1
                group.addTask { (index, try await mintCode(userID: "user\(index % 100)")) }
            }
            while next < min(parallelism, count) { add() }
            while let (index, code) = try await group.next() {
                codes[index] = code
                if next < count { add() }
            }
            return codes.compactMap { $0 }
        }
    }

    /// The form body that redeems `code` at the token endpoint.
    static func codeBody(_ code: Code) -> String {
        "grant_type=authorization_code&code=\(formEncode(code.code))&code_verifier=\(formEncode(code.verifier))"
            + "&redirect_uri=\(formEncode(BenchmarkSetup.redirectURI))"
    }

    /// The form body of a refresh-token grant.
    static func refreshBody(_ refreshToken: String) -> String {
        "grant_type=refresh_token&refresh_token=\(formEncode(refreshToken))"
    }

    /// POSTs `body` to the token endpoint in process; returns the status and the tokens of a 200.
    func postToken(_ body: String) async throws -> (status: Int, tokens: Tokens?) {
        let request = try Request(
            method: .post,
            url: setup.origin + "/token",
            headers: [.authorization: Self.basicAuthorization, .contentType: "application/x-www-form-urlencoded"],
            body: body
        )
        let response = try await provider.fetch(request, env: env, ctx: ExecutionContext())
        let data = Data(try await response.body.text().utf8)
        guard response.status == .ok else { return (response.status.code, nil) }
        let json = try JSONValue(parsing: data)
        guard let access = json["access_token"]?.stringValue, let refresh = json["refresh_token"]?.stringValue else {
            throw Failure(description: "token response without tokens: \(String(decoding: data, as: UTF8.self))")
        }
        return (response.status.code, Tokens(accessToken: access, refreshToken: refresh))
    }

    /// Calls the protected API in process with `accessToken`; returns the status and the body.
    func callAPI(_ accessToken: String) async throws -> (status: Int, body: String) {
        let request = try Request(url: setup.resource, headers: [.authorization: "Bearer \(accessToken)"])
        let response = try await provider.fetch(request, env: env, ctx: ExecutionContext())
        return (response.status.code, try await response.body.text())
    }

    /// `application/x-www-form-urlencoded` value encoding (unreserved characters kept, everything else %XX).
    static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// A 43-character PKCE verifier (the RFC 7636 minimum length) from the unreserved alphabet.
    static func randomVerifier() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        return String(decoding: (0..<43).map { _ in alphabet.randomElement()! }, as: UTF8.self)
    }
}

extension Data {
    /// base64url without padding (RFC 4648 §5), as PKCE's S256 uses.
    var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
