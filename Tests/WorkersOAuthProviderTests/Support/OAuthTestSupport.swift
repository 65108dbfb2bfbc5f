import Foundation
import HTTPTypes
import Synchronization
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 += seconds } }
    var function: @Sendable () -> Date { { [self] in self.now } }
}

/// A response, body collected.
struct TestResponse {
    let status: Int
    let headers: HTTPFields
    let text: String

    var json: JSONValue? { try? JSONValue(parsing: Data(text.utf8)) }
    func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }
    var location: URLComponents? { header("Location").flatMap(URLComponents.init(string:)) }
    func locationValues(_ name: String) -> [String] {
        (location?.queryItems ?? []).filter { $0.name == name }.compactMap(\.value)
    }
    var error: String? { json?["error"]?.stringValue }
    var errorDescription: String? { json?["error_description"]?.stringValue }
}

/// Sends requests to a handler in-process.
struct TestClient: Sendable {
    let handler: any FetchHandling
    let env: Env
    let origin: String
    var defaultHeaders: [(String, String)] = []

    func send(
        _ method: HTTPRequest.Method = .get,
        _ path: String,
        headers: [(String, String)] = [],
        body: String? = nil
    ) async throws -> TestResponse {
        var fields = HTTPFields()
        for (name, value) in defaultHeaders + headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        let url = path.hasPrefix("http") ? path : origin + path
        let request = try Request(method: method, url: url, headers: fields, body: body)
        let response = try await handler.fetch(request, env: env, ctx: ExecutionContext())
        return TestResponse(status: response.status.code, headers: response.headers, text: try await response.body.text())
    }

    func postForm(_ path: String, _ pairs: [(String, String)], headers: [(String, String)] = []) async throws -> TestResponse {
        try await send(
            .post, path, headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers,
            body: URLEncodedForm(pairs.map { (name: $0.0, value: $0.1) }).encoded
        )
    }

    func postJSON(_ path: String, _ value: JSONValue, headers: [(String, String)] = []) async throws -> TestResponse {
        try await send(.post, path, headers: [("Content-Type", "application/json")] + headers, body: value.jsonString)
    }
}

/// A MemoryKV-backed environment.
func makeEnv(kv: any KVNamespace) -> Env {
    Env(bindings: ["OAUTH_KV": kv])
}

/// A KV that records every byte written through it (for at-rest checks).
final class RecordingKV: KVNamespace {
    let inner: any KVNamespace
    private let written = Mutex<[Data]>([])

    /// Records writes to `inner` (any backend: MemoryKV here; SQLiteKV/FileKV once they exist).
    init(wrapping inner: any KVNamespace) { self.inner = inner }

    var allWrittenBytes: [Data] { written.withLock { $0 } }

    func getEntry(_ key: String) async throws -> KVEntry? { try await inner.getEntry(key) }
    func put(_ key: String, bytes value: Data, options: KVPutOptions) async throws {
        var record = Data(key.utf8)
        record.append(value)
        if let metadata = options.metadata { record.append(try metadata.jsonData()) }
        written.withLock { $0.append(record) }
        try await inner.put(key, bytes: value, options: options)
    }
    func delete(_ key: String) async throws { try await inner.delete(key) }
    func list(_ options: KVListOptions) async throws -> KVListResult { try await inner.list(options) }
}

extension JSONValue {
    var stringArray: [String]? { arrayValue?.compactMap(\.stringValue) }
}
