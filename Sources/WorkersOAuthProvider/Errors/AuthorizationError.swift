import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// An error in an authorization request, thrown by ``OAuthHelpers/parseAuthRequest(_:)`` and
/// ``OAuthHelpers/completeAuthorization(_:)``.
///
/// It carries a ``redirectURI`` only once the client and its redirect URI have been validated, so an application
/// can never be tricked into sending an error to an unregistered URI. Follow ``redirectLocation``: when it is `nil`,
/// render the error yourself (a 400 page); otherwise it is the RFC 6749 §4.1.2.1 error redirect (with `state` and
/// `iss`).
///
/// An error the helpers throw for a client that registered itself (dynamic registration) has
/// ``clientRegisteredItself`` set and no ``redirectLocation``: before a user has acted on its request, nothing
/// vouches for the redirect URI, so redirecting there would make this server an open redirector for anyone who can
/// register a client (RFC 9700 §4.11.2). Errors after the user's decision (they denied, or the upstream sign-in was
/// cancelled) redirect for every client: create those with ``init(_:description:redirectURI:state:issuer:clientRegisteredItself:)``
/// and the default `clientRegisteredItself: false`.
///
/// ```swift
/// do {
///     authRequest = try await helpers.parseAuthRequest(request)
/// } catch let error as AuthorizationError {
///     if let location = error.redirectLocation { return try Response.redirect(location) }
///     return Response.html(errorPage(error.errorDescription), status: .badRequest)
/// }
/// ```
public struct AuthorizationError: Error, Sendable, CustomStringConvertible {
    /// The error code's vocabulary (the authorization endpoint uses `invalid_request`, `invalid_target`,
    /// `unauthorized_client`, `access_denied`, `unsupported_response_type`, `invalid_scope`, `server_error` and
    /// `temporarily_unavailable`).
    public typealias Code = OAuthErrorCode

    /// The error code.
    public var code: Code
    /// A human-readable description.
    public var errorDescription: String
    /// The validated redirect URI, or `nil` when the error must not be redirected.
    public var redirectURI: String?
    /// The client's `state`, echoed in the redirect.
    public var state: String?
    /// The issuer, sent as `iss` (RFC 9207).
    public var issuer: String?
    /// Whether the error concerns a request, not yet acted on by a user, from a client that registered itself: then
    /// ``redirectLocation`` is `nil` and the error must be shown here.
    public var clientRegisteredItself: Bool

    /// Creates an error.
    /// - Parameters:
    ///   - code: The error code.
    ///   - description: The description.
    ///   - redirectURI: A redirect URI already validated against the client's registration.
    ///   - state: The request's `state`.
    ///   - issuer: The issuer identifier.
    ///   - clientRegisteredItself: The request, not yet acted on by a user, comes from a self-registered client (the
    ///     error is then never redirected).
    public init(
        _ code: Code,
        description: String,
        redirectURI: String? = nil,
        state: String? = nil,
        issuer: String? = nil,
        clientRegisteredItself: Bool = false
    ) {
        self.code = code
        self.errorDescription = description
        self.redirectURI = redirectURI
        self.state = state
        self.issuer = issuer
        self.clientRegisteredItself = clientRegisteredItself
    }

    /// The error redirect (`redirect_uri?error=...&error_description=...&state=...&iss=...`), or `nil` when the error
    /// must be shown locally: no validated redirect URI, or ``clientRegisteredItself``.
    public var redirectLocation: String? {
        guard let redirectURI, !clientRegisteredItself else { return nil }
        var items = [
            URLQueryItem(name: "error", value: code.rawValue),
            URLQueryItem(name: "error_description", value: errorDescription),
        ]
        if let state, !state.isEmpty { items.append(URLQueryItem(name: "state", value: state)) }
        if let issuer { items.append(URLQueryItem(name: "iss", value: issuer)) }
        return QueryEncoding.appending(items, to: redirectURI)
    }

    /// The wire spelling (or a readable summary).
    public var description: String { "\(code.rawValue): \(errorDescription)" }
}
