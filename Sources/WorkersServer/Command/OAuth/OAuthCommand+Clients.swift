import ArgumentParser
import WorkersOAuthProvider
import WorkersRuntime

extension OAuthCommand.Clients {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every registered client (all pages).")

        @OptionGroup var store: OAuthCommand.Store

        func run() async throws {
            let helpers = try store.helpers()
            let clients = try await ListResult.collect { try await helpers.listClients(limit: 1000, cursor: $0) }
            try store.print(.array(clients.map(OAuthRecordView.json)), orTable: OAuthRecordView.table(clients))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one client (exit 1 when there is none).")

        @OptionGroup var store: OAuthCommand.Store
        @Argument(help: "The client id (after `--` when it starts with \"-\").") var clientID: String

        func run() async throws {
            guard let client = try await store.helpers().lookupClient(clientID) else {
                throw CommandError("No client \(clientID.escapedForLog)")
            }
            try store.print(OAuthRecordView.json(client), orTable: OAuthRecordView.details(client))
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a client. A confidential client's secret is printed once; only its hash is stored."
        )

        @OptionGroup var store: OAuthCommand.Store

        @Option(name: .customLong("redirect-uri"), help: "A redirect URI (repeat for several; matched exactly).")
        var redirectURIs: [String] = []

        @Flag(help: "A public client (no secret; PKCE only), such as a desktop or CLI app.")
        var `public` = false

        @Option(help: "A display name, shown on the consent page.")
        var name: String?

        @Option(help: "How a confidential client authenticates: client_secret_basic or client_secret_post.")
        var authMethod = TokenEndpointAuthMethod.clientSecretBasic.rawValue

        func validate() throws {
            if redirectURIs.isEmpty { throw ValidationError("Give at least one --redirect-uri") }
            let confidential = [TokenEndpointAuthMethod.clientSecretBasic, .clientSecretPost].map(\.rawValue)
            if !`public`, !confidential.contains(authMethod) {
                throw ValidationError("--auth-method must be client_secret_basic or client_secret_post (or use --public)")
            }
        }

        func run() async throws {
            let method = `public` ? TokenEndpointAuthMethod.none : TokenEndpointAuthMethod(rawValue: authMethod)
            let registered: RegisteredClient
            do {
                registered = try await store.helpers().createClient(
                    ClientInfo(redirectURIs: redirectURIs, clientName: name, tokenEndpointAuthMethod: method)
                )
            } catch let error as OAuthProviderError {
                throw CommandError("The client was not created: \(error)")
            }
            if store.json {
                var view = OAuthRecordView.json(registered.client)
                if case .object(var object) = view, let secret = registered.clientSecret {
                    object["clientSecret"] = .string(secret)
                    view = .object(object)
                }
                print(try OAuthRecordView.prettyJSON(view))
            } else {
                print("client_id:     \(registered.client.clientID)")
                if let secret = registered.clientSecret { print("client_secret: \(secret)") }
            }
            if registered.clientSecret != nil {
                printToStandardError("The secret is shown once: only its hash is stored. Keep it now.")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a client and revoke every grant issued to it.")

        @OptionGroup var store: OAuthCommand.Store
        @Argument(help: "The client id (after `--` when it starts with \"-\").") var clientID: String

        func run() async throws {
            let helpers = try store.helpers()
            guard try await helpers.lookupClient(clientID) != nil else {
                throw CommandError("No client \(clientID.escapedForLog)")
            }
            try await helpers.deleteClient(clientID)
            printToStandardError("Deleted client \(clientID.escapedForLog) and revoked its grants")
        }
    }
}
