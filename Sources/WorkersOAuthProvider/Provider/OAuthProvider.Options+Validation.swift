import Foundation
import WorkersRuntime

extension OAuthProvider.Options {
    /// Checks the options; the error names the offending option.
    func validate() throws(OAuthProviderError) {
        for (name, value) in [("authorizeEndpoint", authorizeEndpoint), ("tokenEndpoint", tokenEndpoint)]
            + (clientRegistrationEndpoint.map { [("clientRegistrationEndpoint", $0)] } ?? [])
            + (introspectionEndpoint.map { [("introspectionEndpoint", $0)] } ?? [])
        {
            try Self.validateEndpoint(name, value)
        }
        if let introspectionEndpoint, introspectionEndpoint == tokenEndpoint || introspectionEndpoint == clientRegistrationEndpoint {
            throw OAuthProviderError("introspectionEndpoint must differ from tokenEndpoint and clientRegistrationEndpoint, got \"\(introspectionEndpoint)\"")
        }
        guard accessTokenTTL >= Lifetimes.minimum else {
            throw OAuthProviderError("accessTokenTTL must be an integer of at least 60 seconds, got \(accessTokenTTL)")
        }
        if case .seconds(let seconds) = refreshTokenTTL, seconds != 0, seconds < Lifetimes.minimum {
            throw OAuthProviderError("refreshTokenTTL must be 0 (disabled) or at least 60 seconds, got \(seconds)")
        }
        if case .seconds(let seconds) = clientRegistrationTTL, seconds < Lifetimes.minimum {
            throw OAuthProviderError("clientRegistrationTTL must be at least 60 seconds, got \(seconds)")
        }
        guard unusedClientRegistrationTTL >= Lifetimes.minimum else {
            throw OAuthProviderError("unusedClientRegistrationTTL must be at least 60 seconds, got \(unusedClientRegistrationTTL)")
        }
        for (name, rate) in [
            ("registrationRateLimit", registrationRateLimit), ("tokenRateLimit", tokenRateLimit),
            ("introspectionRateLimit", introspectionRateLimit),
        ] {
            if let rate, rate.requestsPerMinute < 1 || rate.burst < 1 {
                throw OAuthProviderError("\(name) needs requestsPerMinute and burst of at least 1")
            }
        }
        guard refreshTokenReuseGrace >= 0 else {
            throw OAuthProviderError("refreshTokenReuseGrace must be 0 (none) or a positive number of seconds, got \(refreshTokenReuseGrace)")
        }
        if let scopes = scopesSupported {
            if let bad = scopes.first(where: { !ScopeRules.isValidToken($0) }) {
                throw OAuthProviderError("scopesSupported contains an invalid scope token: \"\(bad)\"")
            }
            if Set(scopes).count != scopes.count {
                throw OAuthProviderError("scopesSupported must not contain duplicates")
            }
        }
        try resourceMetadata.map(Self.validate)
        if resources.declared { try Self.validate(resources) }
        if let accessTokenSigning { try validate(accessTokenSigning) }
    }

    /// The declared resources: at least one, distinct URIs, each a valid canonical resource with valid scopes.
    private static func validate(_ resources: ResourceCatalog) throws(OAuthProviderError) {
        guard !resources.entries.isEmpty else { throw OAuthProviderError("resources must name at least one resource") }
        var seen = Set<String>()
        for entry in resources.entries {
            guard seen.insert(entry.uri).inserted else {
                throw OAuthProviderError("resources must have distinct URIs, \"\(entry.uri)\" is named twice")
            }
            do { try validate(ResourceMetadata(resource: entry.uri, scopesSupported: entry.scopes)) } catch {
                throw OAuthProviderError("resource \"\(entry.uri)\": \(error.message)")
            }
        }
    }

    private func validate(_ signing: AccessTokenSigning) throws(OAuthProviderError) {
        guard signing.lifetime >= Lifetimes.minimum else {
            throw OAuthProviderError("accessTokenSigning.lifetime must be at least 60 seconds, got \(signing.lifetime)")
        }
        guard SigningAlgorithm.supported.contains(signing.algorithm) else {
            throw OAuthProviderError("accessTokenSigning.algorithm must be ES256 or RS256, got \"\(signing.algorithm.rawValue)\"")
        }
        guard !signing.encryptionKeyName.isEmpty else {
            throw OAuthProviderError("accessTokenSigning.encryptionKeyName must name a secret")
        }
        guard signing.keyRefreshInterval >= .seconds(1), signing.keyRefreshInterval <= .seconds(3600) else {
            throw OAuthProviderError("accessTokenSigning.keyRefreshInterval must be between 1 second and 1 hour")
        }
        let path = signing.jwksEndpoint
        guard path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains(where: { "?#\\ ".contains($0) || $0.isASCII && $0.asciiValue! < 0x20 })
        else {
            throw OAuthProviderError("accessTokenSigning.jwksEndpoint must be a path starting with \"/\" (no query or fragment), got \"\(path.escapedForLog)\"")
        }
        let taken = [ProviderEndpoint.asMetadataPath, authorizeEndpoint, tokenEndpoint] + [clientRegistrationEndpoint, introspectionEndpoint].compactMap { $0 }
        guard !taken.contains(path), !path.hasPrefix(ProviderEndpoint.prmPath) else {
            throw OAuthProviderError("accessTokenSigning.jwksEndpoint \"\(path)\" is already another endpoint's path")
        }
    }

    private static func validateEndpoint(_ name: String, _ value: String) throws(OAuthProviderError) {
        if value.hasPrefix("/") { return }
        guard let url = URL(string: value), let host = url.host, let scheme = url.scheme?.lowercased(),
            scheme == "https" || scheme == "http"
        else {
            throw OAuthProviderError("\(name) must be a path starting with \"/\" or an absolute URL, got \"\(value)\"")
        }
        if scheme == "http", !RedirectURIRules.isLoopback(host) {
            throw OAuthProviderError("\(name) must use https (http is allowed only on loopback hosts), got \"\(value)\"")
        }
    }

    private static func validate(_ metadata: ResourceMetadata) throws(OAuthProviderError) {
        if let resource = metadata.resource, resource.hasPrefix("/") {
            guard !resource.hasPrefix("//"), ResourceRules.isValid("https://host.invalid" + resource) else {
                throw OAuthProviderError("resourceMetadata.resource as a path must look like \"/mcp\" (no fragment), got \"\(resource)\"")
            }
        } else if let resource = metadata.resource {
            guard ResourceRules.isValid(resource), let url = URL(string: resource) else {
                throw OAuthProviderError("resourceMetadata.resource must be an absolute http(s) URI without a fragment")
            }
            if url.scheme?.lowercased() == "http", !RedirectURIRules.isLoopback(url.host ?? "") {
                throw OAuthProviderError("resourceMetadata.resource must use https (http only on loopback hosts)")
            }
        }
        if let servers = metadata.authorizationServers {
            guard !servers.isEmpty else {
                throw OAuthProviderError("resourceMetadata.authorization_servers must not be empty")
            }
            for server in servers {
                guard let components = URLComponents(string: server), components.host != nil,
                    components.query == nil, components.fragment == nil,
                    components.scheme?.lowercased() == "https"
                        || (components.scheme?.lowercased() == "http"
                            && RedirectURIRules.isLoopback(components.host ?? ""))
                else {
                    throw OAuthProviderError(
                        "resourceMetadata.authorization_servers entries must be https URLs without query or fragment, got \"\(server)\""
                    )
                }
            }
        }
        if let bad = metadata.scopesSupported?.first(where: { !ScopeRules.isValidToken($0) }) {
            throw OAuthProviderError("resourceMetadata.scopes_supported contains an invalid scope token: \"\(bad)\"")
        }
        if let methods = metadata.bearerMethodsSupported, methods.contains(where: { $0 != "header" }) {
            throw OAuthProviderError("resourceMetadata.bearer_methods_supported may only contain \"header\"")
        }
    }
}
