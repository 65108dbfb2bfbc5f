import ArgumentParser
import Foundation
import WorkersOAuthProvider
import WorkersRuntime

extension OAuthCommand {
    /// `oauth keys list|rotate|remove`: the provider's JWT signing keys
    /// (``WorkersOAuthProvider/OAuthProvider/Options/accessTokenSigning``).
    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List, rotate and remove the JWT access tokens' signing keys.",
            subcommands: [List.self, Rotate.self, Remove.self]
        )
    }

    /// Options saying how the worker signs, so the command keeps its rules: the secret the keys are encrypted
    /// under, and how long a retired key stays published.
    struct Signing: ParsableArguments {
        @Option(help: "The secret (in .dev.vars or the environment) the private keys are encrypted under.")
        var secretName = AccessTokenSigning().encryptionKeyName

        @Option(help: "The worker's JWT lifetime in seconds: a retired key stays published this long, plus the refresh interval and a minute.")
        var tokenLifetime = AccessTokenSigning().lifetime

        @Option(help: "The worker's key refresh interval in seconds.")
        var keyRefreshInterval = 30

        func validate() throws {
            if tokenLifetime < 60 { throw ValidationError("--token-lifetime must be at least 60 seconds") }
            if !(1...3600).contains(keyRefreshInterval) { throw ValidationError("--key-refresh-interval must be 1 to 3600 seconds") }
        }

        func configuration(algorithm: SigningAlgorithm = .es256) -> AccessTokenSigning {
            AccessTokenSigning(
                algorithm: algorithm, lifetime: tokenLifetime, encryptionKeyName: secretName,
                keyRefreshInterval: .seconds(keyRefreshInterval)
            )
        }
    }
}

extension OAuthCommand.Keys {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the signing keys, the current one first (never a private key).")

        @OptionGroup var store: OAuthCommand.Store
        @OptionGroup var signing: OAuthCommand.Signing

        func run() async throws {
            let keys = try await store.helpers(accessTokenSigning: signing.configuration()).signingKeys()
            var table = TextTable(["KID", "ALG", "STATE", "CREATED", "PUBLISHED UNTIL"])
            for key in keys {
                table.append([
                    key.keyID, key.algorithm.rawValue, key.state.rawValue, OAuthRecordView.date(key.createdAt),
                    key.publishedUntil.map { OAuthRecordView.date($0) } ?? "while current",
                ])
            }
            try store.print(.array(keys.map(Self.json)), orTable: table)
        }

        static func json(_ key: SigningKeySummary) -> JSONValue {
            var object: [String: JSONValue] = [
                "kid": .string(key.keyID), "alg": .string(key.algorithm.rawValue), "state": .string(key.state.rawValue),
                "createdAt": .number(Double(key.createdAt)),
            ]
            object["retiredAt"] = key.retiredAt.map { .number(Double($0)) }
            object["publishedUntil"] = key.publishedUntil.map { .number(Double($0)) }
            return .object(object)
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new key current; the old one stays published until its last token expires."
        )

        @OptionGroup var store: OAuthCommand.Store
        @OptionGroup var signing: OAuthCommand.Signing

        @Option(help: "The new key's algorithm: ES256 or RS256.")
        var algorithm = SigningAlgorithm.es256.rawValue

        func validate() throws {
            if ![SigningAlgorithm.es256, .rs256].map(\.rawValue).contains(algorithm) {
                throw ValidationError("--algorithm must be ES256 or RS256")
            }
        }

        func run() async throws {
            let chosen = SigningAlgorithm(rawValue: algorithm)
            let rotated: RotatedSigningKey
            do {
                rotated = try await store.helpers(accessTokenSigning: signing.configuration(algorithm: chosen)).rotateSigningKey()
            } catch let error as OAuthProviderError {
                throw CommandError("The key was not rotated: \(error)")
            }
            var summary: [String: JSONValue] = ["kid": .string(rotated.keyID), "alg": .string(rotated.algorithm.rawValue)]
            summary["retiredKid"] = rotated.retiredKeyID.map(JSONValue.string)
            summary["retiredPublishedUntil"] = rotated.retiredKeyPublishedUntil.map { .number(Double($0)) }
            if store.json {
                print(try OAuthRecordView.prettyJSON(.object(summary)))
            } else {
                print("kid: \(rotated.keyID) (\(rotated.algorithm.rawValue), current)")
                if let retired = rotated.retiredKeyID {
                    print("retired: \(retired), published until \(OAuthRecordView.date(rotated.retiredKeyPublishedUntil))")
                }
            }
            printToStandardError("Running workers sign with the new key once they re-read the key set (within \(signing.keyRefreshInterval) s).")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a retired key at once (a compromised one): its tokens stop verifying. Refuses the current key."
        )

        @OptionGroup var store: OAuthCommand.Store
        @OptionGroup var signing: OAuthCommand.Signing
        @Argument(help: "The key id (after `--` when it starts with \"-\").") var kid: String

        func run() async throws {
            do {
                try await store.helpers(accessTokenSigning: signing.configuration()).removeSigningKey(kid)
            } catch let error as OAuthProviderError {
                throw CommandError("The key was not removed: \(error)")
            }
            printToStandardError("Removed signing key \(kid.escapedForLog)")
        }
    }
}
