import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// Turns every refusal of the provider into its response, in one place: the OAuth error body, the
/// ``OAuthProvider/Options/onError`` hook (which may replace the response), and the log (control characters
/// escaped; 4xx at debug level, unexpected failures at error level with their detail, never on the wire).
struct OAuthErrorResponder: Sendable {
    let onError: (@Sendable (OAuthErrorEvent) async -> Response?)?
    let logger: Logger
    /// The `endpoint` label of the errors counted in ``ProviderMetrics`` (`token`, `register`, `introspect`, `api`).
    private(set) var endpoint: String

    init(options: OAuthProvider.Options, endpoint: String = "other") {
        onError = options.onError
        logger = options.logger
        self.endpoint = endpoint
    }

    /// This responder, counting its errors under `endpoint`.
    func labelled(_ endpoint: String) -> OAuthErrorResponder {
        var copy = self
        copy.endpoint = endpoint
        return copy
    }

    /// The response for `error`, after ``OAuthProvider/Options/onError`` saw it; counted in ``ProviderMetrics`` by its
    /// code (the code the provider chose, whatever the hook answers instead).
    func response(for error: OAuthError, request: Request?, detail: String? = nil) async -> Response {
        ProviderMetrics.error(error.code, endpoint: endpoint)
        let response = error.response
        if let onError {
            let event = OAuthErrorEvent(
                code: error.code.rawValue, errorDescription: error.errorDescription, status: response.status,
                headers: response.headers, internalDetail: detail, request: request
            )
            if let replacement = await onError(event) { return replacement }
        } else {
            var metadata: Logger.Metadata = ["status": "\(response.status.code)", "error": "\(error.code.rawValue.escapedForLog)"]
            if let detail { metadata["detail"] = "\(detail.escapedForLog)" }
            logger.debug("OAuth error response: \(error.errorDescription.escapedForLog)", metadata: metadata)
        }
        return response
    }

    /// The response for anything an endpoint threw: its OAuth error, or an opaque 500 logged with the detail.
    func response(forThrown error: any Error, request: Request, context: String) async -> Response {
        switch error {
        case let error as OAuthError:
            return await response(for: error, request: request)
        case let error as DetailedOAuthError:
            return await response(for: error.error, request: request, detail: error.detail)
        case let refusal as GrantRefusal:
            return await response(for: refusal.error, request: request, detail: refusal.detail)
        case let error as KVUnavailableError:
            // The store cannot be reached right now (a database restarting): retry later, not a server bug.
            logger.warning("OAuth store unavailable", metadata: ["error": "\(error.message.escapedForLog)"])
            var headers = HTTPFields()
            headers[.retryAfter] = "1"
            return await response(
                for: OAuthError(
                    .temporarilyUnavailable, description: "The authorization server's store is unavailable; retry shortly",
                    status: .serviceUnavailable, headers: headers
                ),
                request: request
            )
        case let error as InsecureIssuerError:
            // The request reached this server over plain http under a public name: the client's mistake (or a
            // misconfigured proxy), not a server failure.
            return await response(for: OAuthError(.invalidRequest, description: error.description), request: request)
        default:
            logger.error(
                "\(context) failed unexpectedly",
                metadata: ["path": "\(request.path.escapedForLog)", "error": "\(String(reflecting: error).escapedForLog)"]
            )
            return await response(for: .serverError, request: request)
        }
    }
}
