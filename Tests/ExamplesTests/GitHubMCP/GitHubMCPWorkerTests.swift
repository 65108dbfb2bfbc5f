import Foundation
import Testing
import WorkersKV
import WorkersMCP
import WorkersOAuthProvider
import WorkersRuntime

@testable import GitHubMCP

@Suite("GitHubMCPWorker configuration")
struct GitHubMCPWorkerTests {
    @Test("refuses to start with half the GitHub credentials, or with real GitHub and no cookie key")
    func startupChecks() throws {
        let kv: [String: any Sendable] = ["OAUTH_KV": MemoryKV()]
        #expect(throws: GitHubMCPError.self) {
            try GitHubMCPWorker.make(env: Env(secrets: ["GITHUB_CLIENT_ID": "id"], bindings: kv), announce: false)
        }
        #expect(throws: GitHubMCPError.self) {
            try GitHubMCPWorker.make(
                env: Env(secrets: ["GITHUB_CLIENT_ID": "id", "GITHUB_CLIENT_SECRET": "secret"], bindings: kv), announce: false)
        }
        #expect(throws: SealedCookieError.self) {
            try GitHubMCPWorker.make(env: Env(secrets: ["COOKIE_ENCRYPTION_KEY": "too-short"], bindings: kv), announce: false)
        }
        _ = try GitHubMCPWorker.make(env: Env(bindings: kv), announce: false)
    }

    @Test("refuses to start without its KV binding, or on a KV that cannot commit grant changes atomically")
    func storeChecks() throws {
        #expect(throws: OAuthProviderError.self) { try GitHubMCPWorker.make(env: Env(), announce: false) }
        let error = #expect(throws: OAuthProviderError.self) {
            try GitHubMCPWorker.make(env: Env(bindings: ["OAUTH_KV": NonAtomicKV()]), announce: false)
        }
        #expect(error?.description.contains("atomically") == true)
    }

    @Test("several instances (stateless MCP, or a PostgreSQL store) need COOKIE_ENCRYPTION_KEY and GitHub credentials")
    func multiInstanceChecks() throws {
        let kv: [String: any Sendable] = ["OAUTH_KV": MemoryKV()]
        let stateless: [String: JSONValue] = ["MCP_SESSION_MODE": "stateless"]
        let noKey = #expect(throws: GitHubMCPError.self) {
            try GitHubMCPWorker.make(env: Env(vars: stateless, bindings: kv), announce: false)
        }
        #expect(noKey?.description.contains("COOKIE_ENCRYPTION_KEY is not set") == true)
        #expect(noKey?.description.contains("every instance") == true)
        let key = String(repeating: "k", count: 40)
        let noGitHub = #expect(throws: GitHubMCPError.self) {
            try GitHubMCPWorker.make(env: Env(vars: stateless, secrets: ["COOKIE_ENCRYPTION_KEY": key], bindings: kv), announce: false)
        }
        #expect(noGitHub?.description.contains("github-stand-in --port") == true)
        let badMode = #expect(throws: GitHubMCPError.self) {
            try GitHubMCPWorker.make(env: Env(vars: ["MCP_SESSION_MODE": "sticky"], bindings: kv), announce: false)
        }
        #expect(badMode?.description.contains("MCP_SESSION_MODE") == true)
        _ = try GitHubMCPWorker.make(
            env: Env(
                vars: stateless,
                secrets: ["COOKIE_ENCRYPTION_KEY": key, "GITHUB_CLIENT_ID": "id", "GITHUB_CLIENT_SECRET": "secret"], bindings: kv),
            announce: false)
        #expect(GitHubMCPWorker.mcpConfiguration(Env(), sessionMode: .stateless).sessionMode == .stateless)
    }

    @Test("reads the MCP response mode and extra browser origins from vars")
    func mcpSettings() {
        let configuration = GitHubMCPWorker.mcpConfiguration(
            Env(vars: ["MCP_RESPONSE_MODE": "json", "MCP_ALLOWED_ORIGINS": "https://a.example, https://b.example"]))
        #expect(configuration.responseMode == .json)
        #expect(configuration.allowedOrigins?.suffix(2) == ["https://a.example", "https://b.example"])
        #expect(GitHubMCPWorker.mcpConfiguration(Env()).responseMode == .sse)
    }
}

/// A Workers-KV namespace with no atomic commit (as a third-party backend might be).
private struct NonAtomicKV: KVNamespace {
    let base = MemoryKV()
    func getEntry(_ key: String) async throws -> KVEntry? { try await base.getEntry(key) }
    func put(_ key: String, bytes value: Data, options: KVPutOptions) async throws {
        try await base.put(key, bytes: value, options: options)
    }
    func delete(_ key: String) async throws { try await base.delete(key) }
    func list(_ options: KVListOptions) async throws -> KVListResult { try await base.list(options) }
}
