import WorkersRuntime

/// What a token request asks the new access token to cover: its `scope` (RFC 6749 §3.3) and `resource` indicators
/// (RFC 8707), before they are checked against the grant.
struct RequestedCoverage: Sendable {
    let scope: String?
    let resources: [String]

    init(_ form: URLEncodedForm) {
        scope = form["scope"]
        resources = form.values("resource")
    }
}
