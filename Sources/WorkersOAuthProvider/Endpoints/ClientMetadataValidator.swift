import Foundation
import WorkersRuntime

/// Validates RFC 7591 client metadata, within ``ClientRegistrationLimits``, and negotiates the authentication method.
struct ClientMetadataValidator {
    let metadata: [String: JSONValue]
    var limits = ClientRegistrationLimits()
    var offeredGrantTypes: [GrantType] = [.authorizationCode, .refreshToken]

    func validate() throws(OAuthError) -> ClientInfo {
        let methodValue = metadata["token_endpoint_auth_method"]
        if let methodValue, methodValue.stringValue == nil {
            throw invalid("token_endpoint_auth_method must be a string")
        }
        let supportedMethods = try stringArray("token_endpoint_auth_methods_supported", maximumCount: 16, maximumLength: 100)
        let preferred = methodValue?.stringValue
        if let preferred, let supportedMethods, !supportedMethods.contains(preferred) {
            throw invalid("token_endpoint_auth_method must be one of token_endpoint_auth_methods_supported")
        }
        _ = try string("client_id", maximumLength: limits.maximumURILength)
        let name = try string("client_name", maximumLength: limits.maximumClientNameLength)
        let redirectURIs = try stringArray(
            "redirect_uris", maximumCount: limits.maximumRedirectURIs, maximumLength: limits.maximumURILength,
            code: .invalidRedirectURI
        )
        let contacts = try stringArray(
            "contacts", maximumCount: limits.maximumContacts, maximumLength: limits.maximumClientNameLength
        )
        let grantTypes = try stringArray("grant_types", maximumCount: 16, maximumLength: 100) ?? [GrantType.authorizationCode.rawValue]
        let responseTypes = try stringArray("response_types", maximumCount: 16, maximumLength: 100) ?? [ResponseType.code.rawValue]
        var urls: [String: String] = [:]
        for field in ["client_uri", "logo_uri", "policy_uri", "tos_uri", "jwks_uri"] {
            guard let value = try string(field, maximumLength: limits.maximumURILength) else { continue }
            guard let components = URLComponents(string: value), components.host?.isEmpty == false,
                ["http", "https"].contains(components.scheme?.lowercased() ?? "")
            else { throw invalid("\(field) must be an absolute http(s) URL") }
            urls[field] = value
        }

        let accepted = TokenEndpointAuthMethod.supported.map(\.rawValue)
        let method: String
        if let preferred, accepted.contains(preferred) {
            method = preferred
        } else if let found = (supportedMethods ?? [preferred ?? TokenEndpointAuthMethod.clientSecretBasic.rawValue])
            .first(where: accepted.contains)
        {
            method = found
        } else {
            let advertised = (supportedMethods ?? preferred.map { [$0] } ?? []).joined(separator: ", ")
            throw invalid(
                "Client does not support an accepted token endpoint authentication method. Supported methods: \(accepted.joined(separator: ", ")). Client advertised: \(advertised)"
            )
        }
        let offered = offeredGrantTypes.map(\.rawValue)
        if let bad = grantTypes.first(where: { !offered.contains($0) }) { throw invalid("Unsupported grant_type: \(bad)") }
        if let bad = responseTypes.first(where: { $0 != ResponseType.code.rawValue }) {
            throw invalid("Unsupported response_type: \(bad)")
        }
        if grantTypes.contains(GrantType.authorizationCode.rawValue) != responseTypes.contains(ResponseType.code.rawValue) {
            throw invalid("grant_types authorization_code and response_types code must be used together")
        }
        guard let redirectURIs, !redirectURIs.isEmpty else {
            throw OAuthError(.invalidRedirectURI, description: "redirect_uris is required and must not be empty")
        }
        if let bad = redirectURIs.first(where: { !RedirectURIRules.isAllowedForRegistration($0) }) {
            throw OAuthError(
                .invalidRedirectURI,
                description: "Invalid redirect URI: \(bad). Use an https URI, http on localhost, 127.0.0.1 or [::1], or a private-use scheme in reverse-DNS form (com.example.app:/callback)"
            )
        }
        var client = ClientInfo(
            redirectURIs: redirectURIs, clientName: name, logoURI: urls["logo_uri"], clientURI: urls["client_uri"],
            policyURI: urls["policy_uri"], tosURI: urls["tos_uri"], jwksURI: urls["jwks_uri"], contacts: contacts,
            grantTypes: grantTypes.map(GrantType.init(rawValue:)), responseTypes: responseTypes.map(ResponseType.init(rawValue:)),
            tokenEndpointAuthMethod: TokenEndpointAuthMethod(rawValue: method)
        )
        client.authMethodExplicit = (methodValue != nil || supportedMethods != nil) ? true : nil
        return client
    }

    private func invalid(_ description: String) -> OAuthError {
        OAuthError(.invalidClientMetadata, description: description)
    }

    private func string(_ field: String, maximumLength: Int) throws(OAuthError) -> String? {
        guard let value = metadata[field], value != .null else { return nil }
        guard let string = value.stringValue else { throw invalid("\(field) must be a string") }
        guard string.count <= maximumLength else { throw invalid("\(field) must be at most \(maximumLength) characters") }
        return string
    }

    private func stringArray(
        _ field: String, maximumCount: Int, maximumLength: Int, code: OAuthError.Code = .invalidClientMetadata
    ) throws(OAuthError) -> [String]? {
        guard let value = metadata[field], value != .null else { return nil }
        guard let array = value.arrayValue else { throw invalid("\(field) must be an array of strings") }
        let strings = array.compactMap(\.stringValue)
        guard strings.count == array.count else { throw invalid("\(field) must be an array of strings") }
        guard strings.count <= maximumCount else {
            throw OAuthError(code, description: "\(field) may hold at most \(maximumCount) entries")
        }
        if strings.contains(where: { $0.count > maximumLength }) {
            throw OAuthError(code, description: "\(field) entries must be at most \(maximumLength) characters")
        }
        return strings
    }
}
