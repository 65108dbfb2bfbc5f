import HTTPTypes
import Logging
import WorkersRuntime

extension OAuthBearerGuard {
    /// A token not issued here, checked by ``OAuthProvider/Options/resolveExternalToken``: its props, a plain 401, or
    /// its structured refusal (``ExternalTokenError``), with the canonical resource and the audience enforced.
    func checkExternal(
        _ resolver: @Sendable (ExternalTokenInput) async throws -> ExternalTokenResult?,
        token: String,
        _ target: Target,
        env: Env
    ) async -> GuardDecision {
        let request = target.request
        let result: ExternalTokenResult?
        do {
            result = try await resolver(ExternalTokenInput(token: token, request: request, env: env))
        } catch let error as ExternalTokenError {
            var headers = error.headers
            let challengeable =
                (error.code == .invalidToken && error.status == .unauthorized)
                || (error.code == .insufficientScope && error.status == .forbidden)
            if challengeable, headers[.wwwAuthenticate] == nil {
                headers[.wwwAuthenticate] = challenge(
                    target, error: error.code.rawValue, scopes: error.requiredScopes.isEmpty ? nil : error.requiredScopes
                )
            }
            return .deny(
                await errors.response(
                    for: OAuthError(error.code, description: error.errorDescription, status: error.status, headers: headers),
                    request: request
                )
            )
        } catch {
            errors.logger.error("resolveExternalToken failed", metadata: ["error": "\(String(reflecting: error).escapedForLog)"])
            return .deny(await errors.response(for: .serverError, request: request))
        }
        guard let result else { return .deny(await invalidToken(target, "Invalid access token")) }
        if let resource = target.resource, result.audience != [resource.canonical(at: request.origin)] {
            return .deny(await invalidToken(target, "External access token is not bound to the configured resource"))
        }
        if let audience = result.audience, !audience.contains(where: { ResourceRules.audienceMatches(request.url, $0) }) {
            return .deny(
                await invalidToken(target, "Token audience does not match resource server", challengeDescription: "Invalid audience")
            )
        }
        return .allow(props: result.props)
    }
}
