import ArgumentParser
import Foundation
import Logging
import WorkersOAuthProvider
import WorkersRuntime

/// `oauth clients|grants|keys|purge`: administer the OAuth provider's store from the command line, through the same
/// helpers a worker gets as `env.oauthProvider`.
///
/// Output is a table for people and JSON with `--json`. Secrets are printed once, when a client is created; the
/// stored hash of a client secret is never printed (``OAuthRecordView``).
struct OAuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oauth",
        abstract: "Administer the OAuth provider's clients, grants and JWT signing keys.",
        subcommands: [Clients.self, Grants.self, Keys.self, Purge.self]
    )

    struct Clients: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List, show, create and delete registered clients.",
            subcommands: [List.self, Show.self, Create.self, Delete.self]
        )
    }

    struct Grants: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List and revoke a user's grants.",
            subcommands: [List.self, Revoke.self]
        )
    }

    /// Options naming the provider's store.
    struct Store: ParsableArguments {
        @OptionGroup var options: ConfigOptions

        @Option(help: "The provider's KV binding from [[kv_namespaces]].")
        var binding = "OAUTH_KV"

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        /// The helpers over the binding, with the secrets of `.dev.vars` (a PostgreSQL URL may be one, and so is
        /// the signing keys' encryption secret), signing JWTs as `accessTokenSigning` says.
        func helpers(accessTokenSigning: AccessTokenSigning? = nil) throws -> OAuthHelpers {
            var logger = Logger(label: "workers.oauth.admin")
            logger.logLevel = .warning
            let config = try options.loadConfig()
            let secrets = try options.secretsFile(for: config).values()
            let host = try WorkerHost(config: config, secrets: secrets, varOverrides: [:], logger: logger)
            _ = try host.kv(binding)
            do {
                return try OAuthProvider.helpers(
                    env: host.env,
                    options: OAuthProvider.Options(kvBinding: binding, accessTokenSigning: accessTokenSigning, logger: logger)
                )
            } catch {
                throw CommandError("[[kv_namespaces]] \(binding): \(error)")
            }
        }

        /// Prints `value` as JSON (sorted keys, pretty) or `table`.
        func print(_ value: JSONValue, orTable table: @autoclosure () -> TextTable) throws {
            if json {
                Swift.print(try OAuthRecordView.prettyJSON(value))
            } else {
                Swift.print(table().rendered)
            }
        }
    }
}
