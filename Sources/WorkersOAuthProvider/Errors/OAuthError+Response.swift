import HTTPTypes
import WorkersRuntime

extension OAuthError {
    /// The error as the provider sends it: ``WorkersRuntime/Response/oauthError(_:description:status:headers:)``.
    var response: Response {
        .oauthError(code.rawValue, description: errorDescription, status: status, headers: headers)
    }

    /// The opaque 500 of an unexpected failure (its detail goes to the log, never on the wire).
    static let serverError = OAuthError(.serverError, description: "Internal server error", status: .internalServerError)
}
