public import Hummingbird
public import WorkersRuntime
import WorkersServer

/// A Hummingbird responder that answers with a Worker: the request is converted as `serve` converts it (URL, body up
/// to the limit, client address), the Worker's failures become the same answers (503 for an unreachable KV store,
/// an opaque 500 for anything else), and its response is streamed back.
///
/// The Worker sees the full request path, as a Worker on a Cloudflare route does. Behind
/// ``OAuthProviderMiddleware``, the grant's props reach it in `ctx.props`. `waitUntil` work runs in ``backgroundTasks``.
///
/// Mount one with ``Hummingbird/RouterMethods/addWorker(_:env:at:configuration:backgroundTasks:)``.
public struct WorkerRouteResponder<Context: RequestContext>: HTTPResponder {
    let worker: any FetchHandling
    let env: Env
    let bridge: EngineBridge
    /// Where the Worker's `ctx.waitUntil` work runs.
    public let backgroundTasks: BackgroundTasks

    /// Creates a responder.
    /// - Parameters:
    ///   - worker: The Worker (or any fetch handler, such as an `OAuthProvider`).
    ///   - env: Its vars, secrets and bindings.
    ///   - configuration: How request URLs are formed and how large a body may be.
    ///   - backgroundTasks: Where `waitUntil` work runs; a new set by default.
    public init(
        _ worker: some FetchHandling, env: Env, configuration: WorkerBridgeConfiguration = .init(),
        backgroundTasks: BackgroundTasks = BackgroundTasks()
    ) {
        self.worker = worker
        self.env = env
        self.bridge = configuration.bridge
        self.backgroundTasks = backgroundTasks
    }

    /// Converts `request`, runs the Worker, and converts its answer (a 400 or 413 when the request cannot be
    /// converted).
    public func respond(to request: Hummingbird.Request, context: Context) async throws -> Hummingbird.Response {
        let peer = (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress
        let workerRequest: WorkersRuntime.Request
        do { workerRequest = try await bridge.workerRequest(request, peer: peer) } catch {
            return EngineBridge.engineResponse(error.response)
        }
        let props = (context as? any OAuthRequestContext)?.oauthProps
        let ctx = ExecutionContext(props: props, logger: context.logger, backgroundTasks: backgroundTasks)
        return EngineBridge.engineResponse(await EngineBridge.run(worker, workerRequest, env: env, ctx: ctx, logger: context.logger))
    }
}
