import Foundation
import WorkersRuntime

/// Who is signed in to the connected-apps page, as its session cookie carries them: the GitHub user id (the grants'
/// user id), the login shown on the page, and the session's CSRF token, which every form on the page sends back.
struct AppsSession: Sendable, Equatable {
    var userID: String
    var login: String
    var csrfToken: String

    init(userID: String, login: String, csrfToken: String = RandomToken.base64URL(byteCount: 32)) {
        self.userID = userID
        self.login = login
        self.csrfToken = csrfToken
    }

    /// The session sealed in a cookie (`{"u": id, "l": login, "c": csrf}`), `nil` for anything else.
    init?(_ json: JSONValue) {
        guard let userID = json["u"]?.stringValue, !userID.isEmpty, let login = json["l"]?.stringValue,
            let csrfToken = json["c"]?.stringValue, !csrfToken.isEmpty
        else { return nil }
        self.init(userID: userID, login: login, csrfToken: csrfToken)
    }

    var json: JSONValue { ["u": .string(userID), "l": .string(login), "c": .string(csrfToken)] }

    /// Whether a form's `csrf_token` is this session's (compared in constant time).
    func accepts(csrfToken presented: String?) -> Bool {
        guard let presented, !presented.isEmpty else { return false }
        return SecureCompare.equals(presented, csrfToken)
    }
}
