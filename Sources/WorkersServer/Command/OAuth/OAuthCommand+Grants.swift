import ArgumentParser
import WorkersOAuthProvider
import WorkersRuntime

extension OAuthCommand.Grants {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a user's grants (all pages).")

        @OptionGroup var store: OAuthCommand.Store
        // `.unconditional`: generated ids may start with "-".
        @Option(name: .customLong("user"), parsing: .unconditional, help: "The user id (the userId the app passed at authorization).")
        var userID: String

        func run() async throws {
            let helpers = try store.helpers()
            let grants = try await ListResult.collect { try await helpers.listUserGrants(userID, limit: 1000, cursor: $0) }
            try store.print(.array(grants.map(OAuthRecordView.json)), orTable: OAuthRecordView.table(grants))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a grant: its access and refresh tokens stop working at once (exit 1 when there is none)."
        )

        @OptionGroup var store: OAuthCommand.Store
        @Option(name: .customLong("user"), parsing: .unconditional, help: "The grant's user id.") var userID: String
        @Option(name: .customLong("grant"), parsing: .unconditional, help: "The grant id (it may start with \"-\").")
        var grantID: String

        func run() async throws {
            let helpers = try store.helpers()
            guard try await helpers.lookupGrant(grantID, userID: userID) != nil else {
                throw CommandError("User \(userID.escapedForLog) has no grant \(grantID.escapedForLog)")
            }
            try await helpers.revokeGrant(grantID, userID: userID)
            printToStandardError("Revoked grant \(grantID.escapedForLog) of user \(userID.escapedForLog)")
        }
    }
}
