import Foundation

/// The unprivileged account a ``PostgresServer`` runs as when the tests run as root (PostgreSQL refuses root).
struct PostgresServerAccount: Sendable {
    let name: String
    let uid: uid_t
    let gid: gid_t

    /// `postgres` (created by Debian's package), else `nobody`.
    static func unprivileged() -> PostgresServerAccount? {
        for name in ["postgres", "nobody"] {
            if let entry = getpwnam(name) {
                return PostgresServerAccount(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
            }
        }
        return nil
    }

    /// `setpriv` arguments that run `command` as this account.
    func wrap(_ command: [String]) -> [String] {
        ["--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "--"] + command
    }
}
