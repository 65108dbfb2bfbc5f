import Foundation
import Logging
import WorkersAccess
import WorkersRuntime

/// Applies `[swift_workers.bearer_token]` and `[swift_workers.access]` to a worker: zero-code protection.
///
/// With both configured, a request must pass the proxy assertion first and then carry a valid bearer token; the
/// props the innermost guard admits with reach the worker in `ctx.props`.
enum ConfiguredProtection {
    /// `worker` wrapped in the configured guards (unchanged when none is configured).
    /// - Throws: ``CommandError`` for a bearer guard whose secrets are all unset, or an access guard whose
    ///   configuration is invalid.
    static func apply(_ protection: WorkerConfig.Protection, to worker: Worker, env: Env, logger: Logger) throws -> Worker {
        var fetch: any FetchHandling = worker.fetchHandler
        if let bearer = protection.bearerToken {
            let requestGuard = BearerTokenGuard(secretNames: bearer.secrets)
            guard !requestGuard.acceptedTokens(in: env).isEmpty else {
                let names = bearer.secrets.joined(separator: ", ")
                throw CommandError(
                    "[swift_workers.bearer_token] needs one of its secrets set (\(names)): run `secret put \(bearer.secrets[0])`"
                )
            }
            fetch = GuardedHandler(guard: requestGuard, handler: fetch)
            logger.info("Every request needs a bearer token (\(bearer.secrets.joined(separator: " or ")))")
        }
        if let access = protection.access {
            var configuration: AccessAssertionGuard.Configuration
            if let jwks = access.jwksURL, let issuer = access.issuer {
                guard let url = URL(string: jwks) else { throw CommandError("[swift_workers.access] jwks_url is not a URL: \(jwks)") }
                configuration = .init(jwksURL: url, issuer: issuer, audiences: access.audiences)
            } else {
                configuration = try .cloudflareAccess(teamDomain: access.teamDomain ?? "", audiences: access.audiences)
                if let jwks = access.jwksURL, let url = URL(string: jwks) { configuration.jwksURL = url }
                if let issuer = access.issuer { configuration.issuer = issuer }
            }
            if let header = access.header { configuration.headerName = header }
            let requestGuard = try AccessAssertionGuard(configuration: configuration, logger: logger)
            fetch = GuardedHandler(guard: requestGuard, handler: fetch)
            logger.info("Every request needs an access assertion from \(configuration.issuer)")
        }
        return Worker(fetch: fetch, scheduled: worker.scheduledHandler)
    }
}
