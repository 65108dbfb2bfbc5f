import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// How long something lives: the anchor's three states of `refreshTokenTTL` / `clientRegistrationTTL`.
///
/// ```swift
/// refreshTokenTTL: .default          // 30 days
/// refreshTokenTTL: .never            // refresh tokens never expire
/// refreshTokenTTL: .seconds(0)       // no refresh tokens at all
/// ```
public enum TokenLifetime: Sendable, Hashable {
    /// The option's documented default.
    case `default`
    /// Never expires.
    case never
    /// This many seconds (`0` disables the thing, where that makes sense).
    case seconds(Int)

    /// The lifetime in seconds, `nil` meaning never, resolving ``default`` to `defaultSeconds`.
    func resolved(default defaultSeconds: Int) -> Int? {
        switch self {
        case .default: defaultSeconds
        case .never: nil
        case .seconds(let seconds): seconds
        }
    }
}
