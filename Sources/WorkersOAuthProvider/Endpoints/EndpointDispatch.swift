import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

extension OAuthHelpers {
    /// Serves a provider endpoint. Every failure becomes an OAuth error response; anything unexpected becomes an
    /// opaque 500 (logged, never leaked).
    func respond(to request: Request, endpoint: ProviderEndpoint) async -> Response {
        do {
            switch endpoint {
            case .authorizationServerMetadata:
                return try authorizationServerMetadata(request)
            case .protectedResourceMetadata(let suffix):
                return try protectedResourceMetadata(request, suffix: suffix)
            case .token:
                return try await tokenEndpoint(request)
            case .registration:
                return try await registrationEndpoint(request)
            }
        } catch let error as OAuthError {
            return await errorResponse(error, request: request)
        } catch let error as DetailedOAuthError {
            return await errorResponse(error.error, request: request, detail: error.detail)
        } catch let error as InsecureIssuerError {
            // The request reached this server over plain http under a public name: the client's mistake (or a
            // misconfigured proxy), not a server failure.
            return await errorResponse(OAuthError(.invalidRequest, description: error.description), request: request)
        } catch {
            options.logger.error(
                "OAuth endpoint failed unexpectedly",
                metadata: ["path": "\(request.path.escapedForLog)", "error": "\(String(reflecting: error).escapedForLog)"]
            )
            return await errorResponse(
                OAuthError(.serverError, description: "Internal server error", status: .internalServerError),
                request: request
            )
        }
    }

    /// Renders an error, lets ``OAuthProvider/Options/onError`` observe or replace it.
    func errorResponse(_ error: OAuthError, request: Request?, detail: String? = nil) async -> Response {
        let response = ProviderResponses.error(
            code: error.code.rawValue, description: error.errorDescription, status: error.status, extra: error.headers
        )
        return await report(
            response, code: error.code.rawValue, description: error.errorDescription, request: request, detail: detail
        )
    }

    /// Hands an error response to ``OAuthProvider/Options/onError`` (or logs it) and returns what to send.
    func report(_ response: Response, code: String, description: String, request: Request?, detail: String?) async -> Response {
        if let onError = options.onError {
            let event = OAuthErrorEvent(
                code: code, errorDescription: description, status: response.status, headers: response.headers,
                internalDetail: detail, request: request
            )
            if let replacement = await onError(event) { return replacement }
        } else {
            var metadata: Logger.Metadata = ["status": "\(response.status.code)", "error": "\(code.escapedForLog)"]
            if let detail { metadata["detail"] = "\(detail.escapedForLog)" }
            options.logger.debug("OAuth error response: \(description.escapedForLog)", metadata: metadata)
        }
        return response
    }
}
