import Foundation
public import MCP
import Synchronization
import WorkersRuntime

/// The MCP server of one session (or, in stateless mode, of one request): its identity and the handlers the
/// ``MCPHandler``'s setup closure registers, with the same calls as swift-sdk's `Server`.
///
/// ```swift
/// server.withMethodHandler(ListTools.self) { _ in .init(tools: tools) }
/// server.withMethodHandler(CallTool.self) { params in
///     .init(content: [.text(text: "hello", annotations: nil, _meta: nil)])
/// }
/// ```
///
/// `WorkersMCP` runs these handlers itself: it reads each JSON-RPC message in one pass into `Value`s, hands a
/// `tools/call` its parameters without decoding them a second time, and writes the result with `JSONWriter`
/// (docs/architecture.md, "The MCP request path"). `initialize`, `ping`, `notifications/initialized` and
/// `notifications/cancelled` are answered by the handler; registering them here changes nothing. What a handler
/// needs about the request it serves (headers, progress) is in ``MCPRequestContext/current``.
public final class MCPServer: Sendable {
    /// Runs a request's handler on its parameters and returns the result to send.
    typealias MethodHandler = @Sendable (Value?) async throws -> any Encodable & Sendable
    typealias NotificationHandler = @Sendable (Value?) async throws -> Void

    /// The name reported in `initialize`.
    public let name: String
    /// The version reported in `initialize`.
    public let version: String
    /// The human-readable title reported in `initialize`.
    public let title: String?
    /// Instructions for the model, sent in `initialize`.
    public let instructions: String?
    /// What the server offers, reported in `initialize`.
    public let capabilities: Server.Capabilities

    private let methods = Mutex<[String: MethodHandler]>([:])
    private let notifications = Mutex<[String: [NotificationHandler]]>([:])

    /// Creates a server with no handlers.
    public init(
        name: String,
        version: String,
        title: String? = nil,
        instructions: String? = nil,
        capabilities: Server.Capabilities = .init(tools: .init())
    ) {
        self.name = name
        self.version = version
        self.title = title
        self.instructions = instructions
        self.capabilities = capabilities
    }

    /// Registers the handler of requests for method `M` (replacing an earlier one).
    @discardableResult
    public func withMethodHandler<M: MCP.Method>(
        _ type: M.Type,
        handler: @escaping @Sendable (M.Parameters) async throws -> M.Result
    ) -> Self {
        methods.withLock {
            $0[M.name] = { params in try await handler(try MCPParameters.decode(params, as: M.Parameters.self)) }
        }
        return self
    }

    /// Registers a handler of notifications `N` (after those registered before).
    @discardableResult
    public func onNotification<N: MCP.Notification>(
        _ type: N.Type,
        handler: @escaping @Sendable (Message<N>) async throws -> Void
    ) -> Self {
        notifications.withLock {
            $0[N.name, default: []].append { params in
                try await handler(Message<N>(method: N.name, params: try MCPParameters.decode(params, as: N.Parameters.self)))
            }
        }
        return self
    }

    func methodHandler(_ method: String) -> MethodHandler? {
        methods.withLock { $0[method] }
    }

    func notificationHandlers(_ method: String) -> [NotificationHandler] {
        notifications.withLock { $0[method] ?? [] }
    }

    /// What `initialize` answers.
    func initializeResult(protocolVersion: String) -> Initialize.Result {
        Initialize.Result(
            protocolVersion: protocolVersion,
            capabilities: capabilities,
            serverInfo: Server.Info(name: name, version: version, title: title),
            instructions: instructions
        )
    }
}
