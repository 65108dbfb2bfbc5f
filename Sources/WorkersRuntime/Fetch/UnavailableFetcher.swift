/// The fetcher of an ``Env`` built without one: every call fails.
public struct UnavailableFetcher: Fetcher {
    public init() {}

    public func fetch(_ request: Request) async throws -> Response {
        throw FetchError.unavailable
    }
}
