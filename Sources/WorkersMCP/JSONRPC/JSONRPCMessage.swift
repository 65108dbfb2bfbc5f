import MCP

/// One JSON-RPC message a client POSTs, as the handler tells them apart.
enum JSONRPCMessage {
    /// A request: it gets a response with its `id`.
    case request(id: JSONRPCID, method: String, params: Value?)
    /// A notification: no `id`, no response.
    case notification(method: String, params: Value?)
    /// The client's answer to a request of the server's (this server sends none, so it is accepted and dropped).
    case response

    /// Why a body is not a message this handler serves, with the HTTP status and JSON-RPC error to answer.
    struct Refusal: Error {
        let status: Int
        let error: MCPError
        /// The request id, when the body had a usable one.
        let id: JSONRPCID?
    }

    /// Reads a POST body.
    /// - Throws: ``Refusal``: a parse error, a batch (MCP's Streamable HTTP carries one message per POST since
    ///   2025-06-18), or something that is not a JSON-RPC 2.0 message.
    static func parse(_ body: some Collection<UInt8>) throws(Refusal) -> JSONRPCMessage {
        let value: Value
        do {
            value = try MCPJSONReader.parse(body)
        } catch {
            throw Refusal(status: 400, error: .parseError("at byte \(error.offset)"), id: nil)
        }
        switch value {
        case .object(let members): return try message(members)
        case .array:
            throw Refusal(status: 400, error: .invalidRequest("batches are not supported; send one message per POST"), id: nil)
        default:
            throw Refusal(status: 400, error: .invalidRequest("a message is a JSON object"), id: nil)
        }
    }

    private static func message(_ members: [String: Value]) throws(Refusal) -> JSONRPCMessage {
        let rawID = members["id"]
        let id = rawID.flatMap(JSONRPCID.init)
        guard members["jsonrpc"] == .string("2.0") else {
            throw Refusal(status: 400, error: .invalidRequest("jsonrpc must be \"2.0\""), id: id)
        }
        let params = members["params"]
        if let params, params.objectValue == nil, params.arrayValue == nil {
            throw Refusal(status: 400, error: .invalidRequest("params must be an object or an array"), id: id)
        }
        if let method = members["method"] {
            guard let name = method.stringValue else {
                throw Refusal(status: 400, error: .invalidRequest("method must be a string"), id: id)
            }
            guard rawID != nil else { return .notification(method: name, params: params) }
            guard let id else {
                throw Refusal(status: 400, error: .invalidRequest("id must be a string or an integer"), id: nil)
            }
            return .request(id: id, method: name, params: params)
        }
        if members["result"] != nil || members["error"] != nil, rawID != nil { return .response }
        throw Refusal(status: 400, error: .invalidRequest("neither a request, a notification nor a response"), id: id)
    }
}
