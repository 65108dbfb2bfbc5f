public import Foundation

extension GitHubStandIn {
    /// A GitHub account the stand-in can sign in as.
    public struct User: Sendable, Hashable {
        /// The numeric account id (`id` in `/user`).
        public var id: Int
        /// The handle (`login`).
        public var login: String
        /// The display name.
        public var name: String?
        /// The public email.
        public var email: String?
        /// The repositories `/user/repos` lists for this account.
        public var repositories: [Repository]

        /// Creates an account.
        public init(id: Int, login: String, name: String? = nil, email: String? = nil, repositories: [Repository] = []) {
            self.id = id
            self.login = login
            self.name = name
            self.email = email
            self.repositories = repositories
        }
    }

    /// A repository owned by a ``User``.
    public struct Repository: Sendable, Hashable {
        /// The repository id.
        public var id: Int
        /// The name (without owner).
        public var name: String
        /// The description.
        public var description: String?
        /// Whether only its owner can see it.
        public var isPrivate: Bool
        /// Its issues.
        public var issues: [Issue]

        /// Creates a repository.
        public init(id: Int, name: String, description: String? = nil, isPrivate: Bool = false, issues: [Issue] = []) {
            self.id = id
            self.name = name
            self.description = description
            self.isPrivate = isPrivate
            self.issues = issues
        }
    }

    /// An issue in a ``Repository``.
    public struct Issue: Sendable, Hashable {
        /// The issue number.
        public var number: Int
        /// The title.
        public var title: String
        /// The body text.
        public var body: String?
        /// `open` or `closed`.
        public var state: String

        /// Creates an issue.
        public init(number: Int, title: String, body: String? = nil, state: String = "open") {
            self.number = number
            self.title = title
            self.body = body
            self.state = state
        }
    }

    /// Settings of a ``GitHubStandIn``: the one OAuth app it knows and the accounts it can sign in as.
    public struct Configuration: Sendable {
        /// The OAuth app's client id.
        public var clientID: String
        /// The OAuth app's client secret.
        public var clientSecret: String
        /// The app's registered callback URL; a `redirect_uri` must be it or below it (GitHub's rule). `nil` accepts
        /// any http(s) `redirect_uri`.
        public var callbackURL: URL?
        /// The accounts, first one preselected on the login page.
        public var users: [User]
        /// How long an authorization code stays valid (GitHub: 10 minutes).
        public var codeLifetime: TimeInterval
        /// The clock.
        public var now: @Sendable () -> Date
        /// How many of the newest requests ``GitHubStandIn/requests`` keeps (a ring); 0, the default, records
        /// nothing. Tests that assert what reached "GitHub" turn it on (``FakeGitHub`` keeps 1,000).
        public var recordedRequestLimit: Int
        /// The largest request body accepted, in bytes; larger ones get `413` (GitHub's OAuth and API requests
        /// are small).
        public var maxRequestBodySize: Int
        /// The most authorization codes outstanding at once; issuing one more evicts the oldest.
        public var maxOutstandingCodes: Int
        /// The most access tokens kept at once; issuing one more revokes the oldest.
        public var maxIssuedTokens: Int

        /// Creates settings.
        /// - Parameters:
        ///   - clientID: The app's client id.
        ///   - clientSecret: The app's client secret.
        ///   - callbackURL: The registered callback URL, or `nil` for any.
        ///   - users: The accounts; ``developmentUser`` by default.
        ///   - codeLifetime: Code lifetime in seconds; 600 by default.
        ///   - now: The clock.
        ///   - recordedRequestLimit: Requests kept for ``GitHubStandIn/requests``; 0 (none) by default.
        ///   - maxRequestBodySize: Body limit in bytes; 64 KiB by default.
        ///   - maxOutstandingCodes: Cap on unexchanged codes; 10,000 by default.
        ///   - maxIssuedTokens: Cap on access tokens; 10,000 by default.
        public init(
            clientID: String = "dev-client-id",
            clientSecret: String = "dev-client-secret",
            callbackURL: URL? = nil,
            users: [User] = [GitHubStandIn.developmentUser],
            codeLifetime: TimeInterval = 600,
            now: @escaping @Sendable () -> Date = { Date() },
            recordedRequestLimit: Int = 0,
            maxRequestBodySize: Int = 64 * 1024,
            maxOutstandingCodes: Int = 10_000,
            maxIssuedTokens: Int = 10_000
        ) {
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.callbackURL = callbackURL
            self.users = users
            self.codeLifetime = codeLifetime
            self.now = now
            self.recordedRequestLimit = max(0, recordedRequestLimit)
            self.maxRequestBodySize = maxRequestBodySize
            self.maxOutstandingCodes = max(1, maxOutstandingCodes)
            self.maxIssuedTokens = max(1, maxIssuedTokens)
        }
    }

    /// The account offered when no real GitHub is configured: clearly a development identity.
    public static let developmentUser = User(
        id: 1,
        login: "dev-user",
        name: "Development Identity",
        email: "dev-user@localhost",
        repositories: [
            Repository(
                id: 101,
                name: "hello-workers",
                description: "A public repository of the development identity",
                issues: [
                    Issue(number: 1, title: "Try the MCP tools", body: "Call get_issue with dev-user/hello-workers #1."),
                    Issue(number: 2, title: "A closed issue", state: "closed"),
                ]
            ),
            Repository(id: 102, name: "private-notes", description: "A private repository", isPrivate: true),
        ]
    )
}
