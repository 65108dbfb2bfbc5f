/// The outcome of a ``RequestGuard``.
public enum GuardDecision: Sendable {
    /// Let the request through; the handler sees `props` in `ctx.props`.
    case allow(props: JSONValue?)
    /// Answer with this response; the handler never runs.
    case deny(Response)
}
