import Foundation
import WorkersRuntime

/// Validates RFC 7591 client metadata, within ``ClientRegistrationLimits``, and negotiates the authentication method:
/// for dynamic registration here, for metadata documents in `ClientMetadataValidator+Document.swift`.
struct ClientMetadataValidator {
    let metadata: [String: JSONValue]
    var limits = ClientRegistrationLimits()
    var offeredGrantTypes: [GrantType] = [.authorizationCode, .refreshToken]

    /// The metadata's fields, type-checked and bounded, before any negotiation.
    struct Fields {
        var clientID: String?
        var name: String?
        var redirectURIs: [String]?
        var contacts: [String]?
        var grantTypes: [String]
        var responseTypes: [String]
        var urls: [String: String]
        var preferredMethod: String?
        var supportedMethods: [String]?
        var applicationType: ApplicationType?
    }

    /// Dynamic registration: every grant and response type must be offered here, and the method is the preferred
    /// one if accepted, else the first accepted of those the client supports.
    func validate() throws(OAuthError) -> ClientInfo {
        let fields = try fields()
        let accepted = TokenEndpointAuthMethod.supported.map(\.rawValue)
        let method = try negotiate(fields, accepted: accepted, default: TokenEndpointAuthMethod.clientSecretBasic.rawValue, who: "Client")
        let offered = offeredGrantTypes.map(\.rawValue)
        if let bad = fields.grantTypes.first(where: { !offered.contains($0) }) { throw invalid("Unsupported grant_type: \(bad)") }
        if let bad = fields.responseTypes.first(where: { $0 != ResponseType.code.rawValue }) {
            throw invalid("Unsupported response_type: \(bad)")
        }
        try checkConsistent(grantTypes: fields.grantTypes, responseTypes: fields.responseTypes)
        var client = try client(fields, method: method, grantTypes: fields.grantTypes, responseTypes: fields.responseTypes)
        client.authMethodExplicit = (fields.preferredMethod != nil || fields.supportedMethods != nil) ? true : nil
        return client
    }

    /// Reads and bounds every field this provider uses.
    func fields() throws(OAuthError) -> Fields {
        let methodValue = metadata["token_endpoint_auth_method"]
        if let methodValue, methodValue != .null, methodValue.stringValue == nil {
            throw invalid("token_endpoint_auth_method must be a string")
        }
        var urls: [String: String] = [:]
        for field in ["client_uri", "logo_uri", "policy_uri", "tos_uri", "jwks_uri"] {
            guard let value = try string(field, maximumLength: limits.maximumURILength) else { continue }
            guard let components = URLComponents(string: value), components.host?.isEmpty == false,
                ["http", "https"].contains(components.scheme?.lowercased() ?? "")
            else { throw invalid("\(field) must be an absolute http(s) URL") }
            urls[field] = value
        }
        var applicationType: ApplicationType?
        if let value = try string("application_type", maximumLength: 16) {
            guard value == ApplicationType.web.rawValue || value == ApplicationType.native.rawValue else {
                throw invalid("application_type must be \"native\" or \"web\"")
            }
            applicationType = ApplicationType(rawValue: value)
        }
        return Fields(
            clientID: try string("client_id", maximumLength: limits.maximumURILength),
            name: try string("client_name", maximumLength: limits.maximumClientNameLength),
            redirectURIs: try stringArray(
                "redirect_uris", maximumCount: limits.maximumRedirectURIs, maximumLength: limits.maximumURILength,
                code: .invalidRedirectURI
            ),
            contacts: try stringArray("contacts", maximumCount: limits.maximumContacts, maximumLength: limits.maximumClientNameLength),
            grantTypes: try stringArray("grant_types", maximumCount: 16, maximumLength: 100) ?? [GrantType.authorizationCode.rawValue],
            responseTypes: try stringArray("response_types", maximumCount: 16, maximumLength: 100) ?? [ResponseType.code.rawValue],
            urls: urls,
            preferredMethod: methodValue?.stringValue,
            supportedMethods: try stringArray("token_endpoint_auth_methods_supported", maximumCount: 16, maximumLength: 100),
            applicationType: applicationType
        )
    }

    /// The method to use: the preferred one when it is accepted, else the first accepted one the client supports
    /// (its supported list, or its preferred method, or `defaultMethod`).
    func negotiate(_ fields: Fields, accepted: [String], default defaultMethod: String, who: String) throws(OAuthError) -> String {
        if let preferred = fields.preferredMethod, let supported = fields.supportedMethods, !supported.contains(preferred) {
            throw invalid("token_endpoint_auth_method must be one of token_endpoint_auth_methods_supported")
        }
        if let preferred = fields.preferredMethod, accepted.contains(preferred) { return preferred }
        let advertised = fields.supportedMethods ?? [fields.preferredMethod ?? defaultMethod]
        if let found = accepted.first(where: advertised.contains) { return found }
        throw invalid(
            "\(who) does not support an accepted token endpoint authentication method. Supported methods: \(accepted.joined(separator: ", ")). Client advertised: \(advertised.joined(separator: ", "))"
        )
    }

    /// `authorization_code` and `code` go together (RFC 7591 §2.1).
    func checkConsistent(grantTypes: [String], responseTypes: [String]) throws(OAuthError) {
        if grantTypes.contains(GrantType.authorizationCode.rawValue) != responseTypes.contains(ResponseType.code.rawValue) {
            throw invalid("grant_types authorization_code and response_types code must be used together")
        }
    }

    /// The client the fields describe, its redirect URIs checked against its application type.
    func client(_ fields: Fields, method: String, grantTypes: [String], responseTypes: [String]) throws(OAuthError) -> ClientInfo {
        guard let redirectURIs = fields.redirectURIs, !redirectURIs.isEmpty else {
            throw OAuthError(.invalidRedirectURI, description: "redirect_uris is required and must not be empty")
        }
        if let bad = redirectURIs.first(where: { !RedirectURIRules.isAllowedForRegistration($0, applicationType: fields.applicationType) }) {
            throw OAuthError(.invalidRedirectURI, description: "Invalid redirect URI: \(bad). \(RedirectURIRules.allowedDescription(fields.applicationType))")
        }
        return ClientInfo(
            redirectURIs: redirectURIs, clientName: fields.name, logoURI: fields.urls["logo_uri"],
            clientURI: fields.urls["client_uri"], policyURI: fields.urls["policy_uri"], tosURI: fields.urls["tos_uri"],
            jwksURI: fields.urls["jwks_uri"], contacts: fields.contacts,
            grantTypes: grantTypes.map(GrantType.init(rawValue:)), responseTypes: responseTypes.map(ResponseType.init(rawValue:)),
            tokenEndpointAuthMethod: TokenEndpointAuthMethod(rawValue: method), applicationType: fields.applicationType
        )
    }

    func invalid(_ description: String) -> OAuthError {
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
