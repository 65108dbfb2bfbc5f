import MCP
import WorkersRuntime

/// The bytes of the JSON-RPC messages the handler sends, written with ``JSONWriter``.
enum JSONRPCReply {
    /// `{"jsonrpc":"2.0","id":…,"result":…}`.
    static func result(id: JSONRPCID, result: some Encodable) throws -> [UInt8] {
        try JSONWriter.encode(Envelope(id: id.value, result: result, error: Optional<MCPError>.none))
    }

    /// `{"jsonrpc":"2.0","id":…,"error":{"code":…,"message":…}}`; `id` is `null` when the request's is unknown.
    static func error(id: JSONRPCID?, _ error: MCPError) -> [UInt8] {
        (try? JSONWriter.encode(Envelope(id: id?.value ?? .null, result: Optional<Empty>.none, error: error)))
            ?? Array(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"Internal error"}}"#.utf8)
    }

    /// `{"jsonrpc":"2.0","method":…,"params":…}`.
    static func notification<N: MCP.Notification>(_ message: Message<N>) throws -> [UInt8] {
        try JSONWriter.encode(message)
    }

    private struct Envelope<Result: Encodable>: Encodable {
        let id: Value
        let result: Result?
        let error: MCPError?

        enum CodingKeys: String, CodingKey { case jsonrpc, id, result, error }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode("2.0", forKey: .jsonrpc)
            try container.encode(id, forKey: .id)
            if let error {
                try container.encode(error, forKey: .error)
            } else {
                try container.encode(result, forKey: .result)
            }
        }
    }
}
