public import WorkersRuntime

extension FetchHandling {
    /// Runs `body` with a client for this handler in `mode`, so one test body checks both the handler and the
    /// server path (Hummingbird's `app.test(.router | .live)`).
    ///
    /// ```swift
    /// @Test(arguments: TestMode.allCases)
    /// func answers(mode: TestMode) async throws {
    ///     try await worker.test(mode, env: env) { client in
    ///         #expect(try await client.send(.get, "/hello").status == 200)
    ///     }
    /// }
    /// ```
    /// - Parameters:
    ///   - mode: In process or live.
    ///   - env: The environment the handler runs in.
    ///   - origin: The origin paths resolve against in process (live, the server's own address).
    ///   - defaultHeaders: Headers sent with every request.
    ///   - body: The test.
    public func test<T: Sendable>(
        _ mode: TestMode, env: Env = Env(), origin: String = "http://127.0.0.1:8787",
        defaultHeaders: [(String, String)] = [], _ body: (TestClient) async throws -> T
    ) async throws -> T {
        switch mode {
        case .inProcess:
            return try await body(TestClient(handler: self, env: env, origin: origin, defaultHeaders: defaultHeaders))
        case .live:
            let server = try await LiveServer.start(worker: Worker(fetch: self), env: env)
            do {
                let result = try await body(TestClient(baseURL: server.baseURL, defaultHeaders: defaultHeaders))
                try await server.stop()
                return result
            } catch {
                try? await server.stop()
                throw error
            }
        }
    }
}
