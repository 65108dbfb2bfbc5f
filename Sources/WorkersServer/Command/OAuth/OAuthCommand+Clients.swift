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

        @Option(
            name: .customLong("grant-type"),
            help: "A grant type (repeat for several): authorization_code, refresh_token, client_credentials (a machine client; needs no --redirect-uri). Default: authorization_code and refresh_token.")
        var grantTypes: [String] = []

        @Option(help: "The scopes (space-separated) a client_credentials client may ask for; default: any of the resource's.")
        var scope: String?

        /// The grant types asked for, `nil` for the default.
        var requestedGrantTypes: [GrantType]? { grantTypes.isEmpty ? nil : grantTypes.map(GrantType.init(rawValue:)) }

        func validate() throws {
            let known: [GrantType] = [.authorizationCode, .refreshToken, .clientCredentials, .tokenExchange]
            if let unknown = requestedGrantTypes?.first(where: { !known.contains($0) }) {
                throw ValidationError("--grant-type \(unknown.rawValue.escapedForLog) is not one of \(known.map(\.rawValue).joined(separator: ", "))")
            }
            let machineOnly = requestedGrantTypes == [.clientCredentials]
            if redirectURIs.isEmpty, !machineOnly { throw ValidationError("Give at least one --redirect-uri") }
            let confidential = [TokenEndpointAuthMethod.clientSecretBasic, .clientSecretPost].map(\.rawValue)
            if !`public`, !confidential.contains(authMethod) {
                throw ValidationError("--auth-method must be client_secret_basic or client_secret_post (or use --public)")
            }
            if `public`, requestedGrantTypes?.contains(.clientCredentials) == true {
                throw ValidationError("A --public client cannot use client_credentials (it has no secret)")
            }
        }

        func run() async throws {
            let method = `public` ? TokenEndpointAuthMethod.none : TokenEndpointAuthMethod(rawValue: authMethod)
            let registered: RegisteredClient
            do {
                registered = try await store.helpers().createClient(
                    ClientInfo(
                        redirectURIs: redirectURIs, clientName: name, grantTypes: requestedGrantTypes,
                        responseTypes: requestedGrantTypes?.contains(.authorizationCode) == false ? [] : nil,
                        tokenEndpointAuthMethod: method, scope: scope
                    )
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
