/// The fields of GitHub's `/user` this example uses.
struct GitHubUser: Codable, Sendable, Equatable {
    var id: Int
    var login: String
    var name: String?
    var email: String?
}

/// The fields of a repository in `/user/repos`.
struct GitHubRepository: Codable, Sendable, Equatable {
    var fullName: String
    var isPrivate: Bool
    var description: String?
    var htmlURL: String?

    enum CodingKeys: String, CodingKey {
        case fullName = "full_name"
        case isPrivate = "private"
        case description
        case htmlURL = "html_url"
    }
}

/// The fields of an issue.
struct GitHubIssue: Codable, Sendable, Equatable {
    var number: Int
    var title: String
    var state: String
    var body: String?
    var htmlURL: String?

    enum CodingKeys: String, CodingKey {
        case number, title, state, body
        case htmlURL = "html_url"
    }
}
