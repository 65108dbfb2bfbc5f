import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// The outcome of checking an API request's bearer token.
enum BearerOutcome {
    /// The token is valid: these props go to the handler.
    case success(JSONValue)
    /// The response to send instead (401/403 with a `WWW-Authenticate: Bearer` challenge).
    case failure(Response)
}

extension OAuthHelpers {
    /// Validates the bearer token of an API request (RFC 6750): hash lookup, canonical resource, expiry, audience,
    /// props decryption; then the external resolver for tokens not issued here.
    func authenticate(_ request: Request, env: Env) async -> BearerOutcome {
        guard let token = Self.bearerToken(request) else {
            var headers = ProviderResponses.noStoreHeaders
            headers[.contentType] = nil
            headers[.wwwAuthenticate] = challenge(request, error: nil)
            return .failure(Response(status: .unauthorized, headers: headers))
        }
        do {
            if let parts = TokenParts(token),
                let record = try await store.token(userId: parts.userId, grantId: parts.grantId, tokenId: TokenCrypto.hash(token))
            {
                return await checkInternal(record, token: token, request: request)
            }
            guard let resolver = options.resolveExternalToken else {
                return .failure(await invalidToken(request, "Invalid access token"))
            }
            return await checkExternal(resolver, token: token, request: request, env: env)
        } catch {
            options.logger.error("Bearer token check failed unexpectedly", metadata: ["error": "\(String(reflecting: error).escapedForLog)"])
            return .failure(
                await errorResponse(
                    OAuthError(.serverError, description: "Internal server error", status: .internalServerError),
                    request: request
                )
            )
        }
    }

    private func checkInternal(_ record: StoredToken, token: String, request: Request) async -> BearerOutcome {
        if let configured = options.canonicalResource(at: request.origin), record.audience?.values != [configured] {
            return .failure(await invalidToken(request, "Access token is not bound to the configured resource"))
        }
        if record.expiresAt <= nowSeconds {
            return .failure(await invalidToken(request, "Access token expired"))
        }
        if let audience = record.audience?.values, !audience.contains(where: { ResourceRules.audienceMatches(request.url, $0) }) {
            return .failure(
                await invalidToken(request, "Token audience does not match resource server", challengeDescription: "Invalid audience")
            )
        }
        do {
            let key = try TokenCrypto.unwrapKey(record.wrappedEncryptionKey, with: token)
            return .success(try TokenCrypto.decryptProps(record.grant.encryptedProps, key: key))
        } catch {
            return .failure(await invalidToken(request, "Invalid access token"))
        }
    }

    private func checkExternal(
        _ resolver: @Sendable (ExternalTokenInput) async throws -> ExternalTokenResult?,
        token: String,
        request: Request,
        env: Env
    ) async -> BearerOutcome {
        let result: ExternalTokenResult?
        do {
            result = try await resolver(ExternalTokenInput(token: token, request: request, env: env))
        } catch let error as ExternalTokenError {
            var extra = error.headers
            let challengeable =
                (error.code == .invalidToken && error.status == .unauthorized)
                || (error.code == .insufficientScope && error.status == .forbidden)
            if challengeable, extra[.wwwAuthenticate] == nil {
                extra[.wwwAuthenticate] = challenge(
                    request, error: error.code.rawValue, scopes: error.requiredScopes.isEmpty ? nil : error.requiredScopes
                )
            }
            let response = ProviderResponses.error(
                code: error.code.rawValue, description: error.errorDescription, status: error.status, extra: extra
            )
            return .failure(
                await report(response, code: error.code.rawValue, description: error.errorDescription, request: request, detail: nil)
            )
        } catch {
            options.logger.error("resolveExternalToken failed", metadata: ["error": "\(String(reflecting: error).escapedForLog)"])
            return .failure(
                await errorResponse(
                    OAuthError(.serverError, description: "Internal server error", status: .internalServerError),
                    request: request
                )
            )
        }
        guard let result else { return .failure(await invalidToken(request, "Invalid access token")) }
        if let configured = options.canonicalResource(at: request.origin), result.audience != [configured] {
            return .failure(await invalidToken(request, "External access token is not bound to the configured resource"))
        }
        if let audience = result.audience, !audience.contains(where: { ResourceRules.audienceMatches(request.url, $0) }) {
            return .failure(
                await invalidToken(request, "Token audience does not match resource server", challengeDescription: "Invalid audience")
            )
        }
        return .success(result.props)
    }

    private func invalidToken(_ request: Request, _ description: String, challengeDescription: String? = nil) async -> Response {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = challenge(request, error: "invalid_token", description: challengeDescription)
        return await errorResponse(
            OAuthError(.invalidToken, description: description, status: .unauthorized, headers: headers), request: request
        )
    }

    /// `Bearer realm="OAuth", resource_metadata="<PRM URL for this path>"[, error=...][, scope=...][, error_description=...]`.
    func challenge(_ request: Request, error: String?, scopes: [String]? = nil, description: String? = nil) -> String {
        let metadataURL = request.origin + ProviderEndpoint.prmPath + request.path
        var value = "Bearer realm=\"OAuth\", resource_metadata=\"\(metadataURL)\""
        if let error { value += ", error=\"\(error)\"" }
        let scopeList = ScopeRules.publishable(scopes ?? options.resourceMetadata?.scopesSupported ?? [])
            .filter(ScopeRules.isValidToken)
        if !scopeList.isEmpty { value += ", scope=\"\(scopeList.joined(separator: " "))\"" }
        if let description { value += ", error_description=\"\(description)\"" }
        return value
    }

    /// The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive (RFC 7235).
    static func bearerToken(_ request: Request) -> String? {
        // The one field's value, read without the join `headers[.authorization]` does; repeated fields are joined
        // with ", " as before, which never parses as a token (401 invalid_token).
        var fields = request.headers.lazy.filter { $0.name == .authorization }.makeIterator()
        guard let first = fields.next()?.value else { return nil }
        let header = fields.next() == nil ? first : request.headers[.authorization] ?? first
        let utf8 = header.utf8
        guard let space = utf8.firstIndex(of: UInt8(ascii: " ")),
            header[..<space].utf8.elementsEqual("bearer".utf8, by: { $0 | 0x20 == $1 })
        else { return nil }
        let token = trimmingWhitespace(header[utf8.index(after: space)...])
        return token.isEmpty ? nil : token
    }

    /// `value` without leading and trailing `CharacterSet.whitespaces`, like `trimmingCharacters(in: .whitespaces)`
    /// but without bridging through `NSString` (this runs on every API request).
    static func trimmingWhitespace(_ value: Substring) -> String {
        let utf8 = value.utf8
        // The usual token is ASCII without surrounding blanks: return it as is.
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 {
            return String(value)
        }
        func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII ? scalar == " " || scalar == "\t" : CharacterSet.whitespaces.contains(scalar)
        }
        let scalars = value.unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, isWhitespace(scalars[start]) { scalars.formIndex(after: &start) }
        while start < end, isWhitespace(scalars[scalars.index(before: end)]) { scalars.formIndex(before: &end) }
        return String(scalars[start..<end])
    }
}
