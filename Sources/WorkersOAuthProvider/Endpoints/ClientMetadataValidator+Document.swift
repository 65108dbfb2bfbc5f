import Foundation
import WorkersRuntime

extension ClientMetadataValidator {
    /// The authentication methods that rest on a shared secret, which a published document cannot hold.
    static let sharedSecretMethods: Set<String> = ["client_secret_basic", "client_secret_post", "client_secret_jwt"]

    /// JWK members that only a private or symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4).
    static let privateJWKMembers: Set<String> = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]

    /// A Client ID Metadata Document, published at `url`, as the client it describes (the anchor's rules).
    ///
    /// The document must name itself (`client_id` equal to `url`), have a non-blank `client_name` and redirect URIs
    /// that pass the registration rules for its `application_type`, and hold no secret (`client_secret`,
    /// `client_secret_expires_at`, private JWK members). Unlike a registration, grant and response types this server
    /// does not offer are dropped (a document may list capabilities for other servers), as long as what remains is
    /// consistent; the authentication method is negotiated against `none` alone, so a client that offers only
    /// `private_key_jwt`, or prefers a shared-secret method, is refused.
    /// - Throws: ``CIMDFetchError`` naming the rule broken.
    func validateDocument(at url: String) throws(CIMDFetchError) -> ClientInfo {
        func refuse(_ reason: String) -> CIMDFetchError { CIMDFetchError(metadataURL: url, reason: reason) }
        do {
            let fields = try fields()
            guard fields.clientID == url else {
                throw refuse("client_id \"\(fields.clientID ?? "")\" does not match metadata URL \"\(url)\"")
            }
            guard let name = fields.name, !name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw refuse("client_name is required and must not be empty")
            }
            if metadata["client_secret"] != nil || metadata["client_secret_expires_at"] != nil {
                throw refuse("CIMD documents must not contain client secrets")
            }
            if let jwks = metadata["jwks"] {
                guard let keys = jwks.objectValue?["keys"]?.arrayValue else { throw refuse("Invalid jwks: keys must be an array") }
                for key in keys {
                    guard let members = key.objectValue else { throw refuse("Invalid jwks: every key must be an object") }
                    if members.keys.contains(where: Self.privateJWKMembers.contains) {
                        throw refuse("CIMD documents must not contain private key material")
                    }
                }
            }
            if let preferred = fields.preferredMethod, Self.sharedSecretMethods.contains(preferred) {
                throw refuse("CIMD clients cannot use symmetric token endpoint authentication method: \(preferred)")
            }
            let method = try negotiate(fields, accepted: [TokenEndpointAuthMethod.none.rawValue], default: TokenEndpointAuthMethod.none.rawValue, who: "CIMD client")
            let offered = Set(offeredGrantTypes.map(\.rawValue))
            let grantTypes = fields.grantTypes.filter(offered.contains)
            let responseTypes = fields.responseTypes.filter { $0 == ResponseType.code.rawValue }
            try checkConsistent(grantTypes: grantTypes, responseTypes: responseTypes)
            var client = try client(fields, method: method, grantTypes: grantTypes, responseTypes: responseTypes)
            client.clientID = url
            client.registeredBy = .metadataDocument
            client.authMethodExplicit = true
            return client
        } catch let error as CIMDFetchError {
            throw error
        } catch let error as OAuthError {
            throw refuse(error.errorDescription)
        } catch {
            throw refuse("\(error)")
        }
    }
}
