import WorkersRuntime

/// A client authenticated at the token endpoint, with the request's form.
struct AuthenticatedClient: Sendable {
    let client: ClientInfo
    let form: URLEncodedForm
}
