/// The outcome of a ``RequestGuard``.
public enum GuardDecision: Sendable {
    /// Let the request through; the handler sees `props` in `ctx.props` and, when a guard checked an OAuth access
    /// token, what it says in `ctx.accessToken`.
    case allow(props: JSONValue?, token: AccessTokenInfo? = nil)
    /// Answer with this response; the handler never runs.
    case deny(Response)
}
