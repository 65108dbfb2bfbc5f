import Foundation
import MCP
import WorkersKV
import WorkersMCP
import WorkersRuntime

/// The notes MCP server's tools: `whoami`, `add_note` (`notes:write`) and `list_notes` (`notes:read`), over the
/// `NOTES` KV binding (one key per note, under the user's `sub`).
enum NotesTools {
    /// The scopes each tool needs (`MCPHandler.Configuration.toolScopes`: checked before the tool runs).
    static let requiredScopes: [String: [String]] = ["add_note": ["notes:write"], "list_notes": ["notes:read"]]
    /// The longest note accepted, in characters.
    static let maxNoteLength = 4_000

    static let tools = [
        Tool(
            name: "whoami",
            description: "Who the access token acts for: its subject, client id and scopes.",
            inputSchema: ["type": "object", "properties": [:]]
        ),
        Tool(
            name: "add_note",
            description: "Saves a note for the signed-in user (needs notes:write).",
            inputSchema: [
                "type": "object", "properties": ["text": ["type": "string", "description": "The note."]], "required": ["text"],
            ]
        ),
        Tool(
            name: "list_notes",
            description: "Lists the signed-in user's notes, oldest first (needs notes:read).",
            inputSchema: ["type": "object", "properties": [:]]
        ),
    ]

    /// A new MCP handler (each keeps its own sessions).
    static func handler() -> MCPHandler {
        MCPHandler(
            name: "notes-mcp", version: "1.0.0", instructions: "Notes for the signed-in user.",
            configuration: .init(toolScopes: requiredScopes)
        ) { server, session in
            serve(server, env: session.env)
        }
    }

    static func serve(_ server: MCPServer, env: Env) {
        server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: tools) }
        server.withMethodHandler(CallTool.self) { params in
            // The token of this request (it may hold more scopes than the one that opened the session).
            let token = MCPRequestContext.current?.accessToken
            let subject = token?.subject ?? ""
            if params.name != "whoami", subject.isEmpty {
                return text("The access token names no user (sub), so there are no notes to act on", isError: true)
            }
            switch params.name {
            case "whoami":
                let identity: JSONValue = [
                    "sub": .string(subject), "client_id": .string(token?.clientID ?? ""),
                    "scopes": .array((token?.scopes ?? []).map(JSONValue.string)),
                ]
                return text(identity.jsonString)
            case "add_note":
                guard case .string(let note)? = params.arguments?["text"], !note.isEmpty, note.count <= maxNoteLength else {
                    return text("add_note needs a non-empty string `text` of at most \(maxNoteLength) characters", isError: true)
                }
                guard let kv = env.kv("NOTES") else { return text("The NOTES KV binding is not configured", isError: true) }
                let key = prefix(for: subject) + noteID()
                try await kv.put(key, note)
                return text("Saved.")
            case "list_notes":
                guard let kv = env.kv("NOTES") else { return text("The NOTES KV binding is not configured", isError: true) }
                var notes: [JSONValue] = []
                for entry in try await kv.list(prefix: prefix(for: subject)).keys {
                    if let note = try await kv.get(entry.name) { notes.append(.string(note)) }
                }
                return text(JSONValue.array(notes).jsonString)
            default:
                return text("Unknown tool \(params.name)", isError: true)
            }
        }
    }

    /// `notes/<base64url(sub)>/`: one prefix per user, whatever characters the `sub` holds.
    static func prefix(for subject: String) -> String {
        let encoded = Data(subject.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "notes/\(encoded)/"
    }

    /// A key suffix that sorts by creation time: milliseconds since the epoch, then a random tail.
    static func noteID() -> String {
        let millis = String(Int(Date().timeIntervalSince1970 * 1000))
        return String(repeating: "0", count: max(0, 15 - millis.count)) + millis + "-" + UUID().uuidString.prefix(8)
    }

    static func text(_ value: String, isError: Bool = false) -> CallTool.Result {
        CallTool.Result(content: [.text(text: value, annotations: nil, _meta: nil)], isError: isError)
    }
}
