import Foundation
import Logging
public import WorkersRuntime

extension ConfiguredGuard {
    /// `[swift_workers.access]`: ``AccessAssertionGuard`` with Cloudflare Access defaults from `team_domain`, or any
    /// proxy given `jwks_url` and `issuer`. Pass it to `WorkerCommand.main(protections:)`.
    public static let access = ConfiguredGuard(table: "access") { protection, _, logger in
        guard let access = protection.access else { return nil }
        var configuration: AccessAssertionGuard.Configuration
        if let jwks = access.jwksURL, let issuer = access.issuer {
            guard let url = URL(string: jwks) else { throw ConfiguredGuardError("[swift_workers.access] jwks_url is not a URL: \(jwks)") }
            configuration = .init(jwksURL: url, issuer: issuer, audiences: access.audiences)
        } else {
            configuration = try .cloudflareAccess(teamDomain: access.teamDomain ?? "", audiences: access.audiences)
            if let jwks = access.jwksURL, let url = URL(string: jwks) { configuration.jwksURL = url }
            if let issuer = access.issuer { configuration.issuer = issuer }
        }
        if let header = access.header { configuration.headerName = header }
        let requestGuard = try AccessAssertionGuard(configuration: configuration, logger: logger)
        logger.info("Every request needs an access assertion from \(configuration.issuer)")
        return requestGuard
    }
}
