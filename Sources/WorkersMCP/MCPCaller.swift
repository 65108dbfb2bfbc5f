import MCP
import WorkersRuntime

/// Who sends a request, as the dispatcher in front of the MCP handler vouched for it: the props (`ctx.props`) and
/// the access token that admitted it (`ctx.accessToken`).
struct MCPCaller: Sendable {
    let props: JSONValue?
    let token: AccessTokenInfo?

    /// Who owns the sessions this caller opens, and may use them: the token's user, client and resource when an
    /// OAuth guard admitted the request (so a client that re-authorizes, say for a larger scope after
    /// `insufficient_scope`, keeps its sessions under its new token), else the props.
    var owner: JSONValue? {
        guard let token else { return props }
        return [
            "sub": token.subject.map(JSONValue.string) ?? .null, "client_id": .string(token.clientID),
            "aud": token.resource.map(JSONValue.string) ?? .null,
        ]
    }

    /// The scopes `message` needs that the caller's token lacks: for a `tools/call` of a tool listed in
    /// `toolScopes`, every scope it needs when the token lacks one (no token holds none); else `nil`.
    func missingScopes(for message: JSONRPCMessage, toolScopes: [String: [String]]) -> [String]? {
        guard !toolScopes.isEmpty, case .request(_, "tools/call", let params) = message,
            let name = params?.objectValue?["name"]?.stringValue, let required = toolScopes[name]
        else { return nil }
        return token?.hasScopes(required) == true ? nil : required
    }
}
