public import WorkersRuntime

/// What ``OAuthProvider/Options/clientRegistrationCallback`` is given.
public struct ClientRegistrationInput: Sendable {
    /// The registration request's JSON body.
    public var clientMetadata: JSONValue
    /// The registration request.
    public var request: Request
}
