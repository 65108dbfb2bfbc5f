import WorkersRuntime

/// How a refresh token presented at the token endpoint stands with its grant: refresh-token rotation with reuse
/// detection ([RFC 9700 §4.14.2](https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2)).
///
/// A token presented in a successful rotation is *spent*. The grant keeps the last spent one as its previous token,
/// usable again only within a grace window that starts when it was first spent (a client whose response was lost
/// retries with it), and the ids of its last few spent tokens, so that presenting any of them once it is no longer
/// usable is recognised as reuse.
enum RefreshTokenStanding: Equatable {
    /// The grant's current refresh token: rotate it.
    case current
    /// The previous token, within the grace window: a retry. New tokens are issued; the window does not move.
    case retry
    /// A spent token that is no longer usable: the refresh token leaked (or the client is broken). Revoke the grant.
    case reused
    /// Not a token this grant ever accepted, or one issued but never presented (a sibling from concurrent
    /// refreshes): `invalid_grant`, and nothing else.
    case unknown

    /// How many spent refresh-token ids a grant remembers.
    static let spentTokensRemembered = 8

    /// The standing of the token whose SHA-256 id is `presentedID`.
    /// - Parameters:
    ///   - presentedID: SHA-256 hex of the presented token.
    ///   - grant: The grant the token names.
    ///   - now: The current time, in seconds since the epoch.
    ///   - grace: ``OAuthProvider/Options/refreshTokenReuseGrace`` in seconds (0: a spent token is never usable).
    static func of(_ presentedID: String, in grant: StoredGrant, now: Int, grace: Int) -> RefreshTokenStanding {
        if let current = grant.refreshTokenID, SecureCompare.equals(current, presentedID) { return .current }
        if let previous = grant.previousRefreshTokenID, SecureCompare.equals(previous, presentedID) {
            // A previous token written by the anchor has no spend time: not usable, but not provably reused either.
            guard let spentAt = grant.previousRefreshTokenSpentAt else { return .unknown }
            return grace > 0 && now < spentAt + grace ? .retry : .reused
        }
        let spent = grant.spentRefreshTokenIDs ?? []
        return spent.contains { SecureCompare.equals($0, presentedID) } ? .reused : .unknown
    }
}

extension StoredGrant {
    /// Records a successful rotation: the presented token becomes the grant's previous one (spent now if it was the
    /// current one; a retry keeps its original spend time) and `newTokenID` the current one.
    mutating func rotateRefreshToken(
        presentedID: String,
        presentedWrappedKey: String,
        standing: RefreshTokenStanding,
        newTokenID: String,
        newWrappedKey: String,
        now: Int
    ) {
        if standing == .current {
            previousRefreshTokenSpentAt = now
            var spent = (spentRefreshTokenIDs ?? []).filter { $0 != presentedID }
            spent.append(presentedID)
            spentRefreshTokenIDs = Array(spent.suffix(RefreshTokenStanding.spentTokensRemembered))
        }
        previousRefreshTokenID = presentedID
        previousRefreshTokenWrappedKey = presentedWrappedKey
        refreshTokenID = newTokenID
        refreshTokenWrappedKey = newWrappedKey
    }
}
