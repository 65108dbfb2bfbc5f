public import Hummingbird
public import WorkersRuntime

/// A request context that carries the props of the OAuth grant a request's access token belongs to, set by
/// ``OAuthProviderMiddleware`` for the routes it protects.
///
/// Add the property to your own context, or use ``BasicOAuthRequestContext``:
///
/// ```swift
/// struct AppRequestContext: OAuthRequestContext {
///     var coreContext: CoreRequestContextStorage
///     var oauthProps: JSONValue?
///     init(source: ApplicationRequestContextSource) {
///         coreContext = .init(source: source)
///     }
/// }
/// ```
public protocol OAuthRequestContext: RequestContext {
    /// The grant's props (what the authorization handler passed to `completeAuthorization`): set on a protected
    /// route whose request carried a valid access token, `nil` elsewhere.
    var oauthProps: JSONValue? { get set }
    /// What the access token says (client, scopes, user, resource) on a protected route, for per-operation scope
    /// checks; `nil` elsewhere. A context that does not declare it never gets it (the default ignores it).
    var oauthToken: AccessTokenInfo? { get set }
}

extension OAuthRequestContext {
    /// No storage: a context without its own `oauthToken` sees `nil`.
    public var oauthToken: AccessTokenInfo? {
        get { nil }
        set {}
    }
}
