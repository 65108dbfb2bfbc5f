import Foundation
import WorkersRuntime

/// The issuer identifier (RFC 8414 §2, RFC 9207): the origin of the token endpoint, the request's origin when the
/// endpoint is a path.
enum Issuer {
    /// The issuer for `request`.
    /// - Throws: ``InsecureIssuerError`` when it is plain http on a non-loopback host.
    static func of(_ request: Request, options: OAuthProvider.Options) throws(InsecureIssuerError) -> String {
        let issuer: String
        if options.tokenEndpoint.hasPrefix("/") {
            issuer = request.origin
        } else {
            issuer = URL(string: options.tokenEndpoint)?.origin ?? request.origin
        }
        if let url = URL(string: issuer), url.scheme?.lowercased() != "https", !RedirectURIRules.isLoopback(url.host ?? "") {
            throw InsecureIssuerError(issuer: issuer)
        }
        return issuer
    }
}
