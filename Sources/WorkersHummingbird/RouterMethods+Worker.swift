public import Hummingbird
public import WorkersRuntime

extension RouterMethods {
    /// Mounts a Worker at `path`: every request to `path` or below it (`path/...`), with any common method (GET,
    /// HEAD, POST, PUT, PATCH, DELETE, OPTIONS), is answered by `worker`.
    ///
    /// ```swift
    /// router.addWorker(legacyWorker, env: env, at: "/legacy")
    /// router.group("/v2").add(middleware: RateLimit()).addWorker(v2Worker, env: env)
    /// ```
    /// - Parameters:
    ///   - worker: The Worker (or any fetch handler); it sees the full request path.
    ///   - env: Its vars, secrets and bindings.
    ///   - path: Where to mount it, relative to this router or group.
    ///   - configuration: How request URLs are formed and how large a body may be.
    ///   - backgroundTasks: Where `waitUntil` work runs; a new set by default.
    @discardableResult
    public func addWorker(
        _ worker: some FetchHandling, env: Env, at path: RouterPath = "",
        configuration: WorkerBridgeConfiguration = .init(), backgroundTasks: BackgroundTasks = BackgroundTasks()
    ) -> Self {
        let responder = WorkerRouteResponder<Context>(
            worker, env: env, configuration: configuration, backgroundTasks: backgroundTasks)
        let base = path.description.hasSuffix("/") ? String(path.description.dropLast()) : path.description
        let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options]
        for method in methods {
            on(RouterPath(base.isEmpty ? "/" : base), method: method, responder: responder)
            on(RouterPath(base + "/**"), method: method, responder: responder)
        }
        return self
    }
}
