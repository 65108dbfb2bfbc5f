/// A client created or updated by the helpers, with the plaintext secret when one was just set.
public struct RegisteredClient: Sendable, Equatable {
    /// The stored client (its ``ClientInfo/clientSecret`` is the hash).
    public var client: ClientInfo
    /// The plaintext secret, returned only when it was just generated or set.
    public var clientSecret: String?

    /// Pairs a client with its plaintext secret.
    public init(client: ClientInfo, clientSecret: String?) {
        self.client = client
        self.clientSecret = clientSecret
    }
}
