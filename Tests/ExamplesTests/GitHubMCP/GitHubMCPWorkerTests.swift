import Foundation
import Testing
import WorkersKV
import WorkersMCP
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

    @Test("reads the MCP response mode and extra browser origins from vars")
    func mcpSettings() {
        let configuration = GitHubMCPWorker.mcpConfiguration(
            Env(vars: ["MCP_RESPONSE_MODE": "json", "MCP_ALLOWED_ORIGINS": "https://a.example, https://b.example"]))
        #expect(configuration.responseMode == .json)
        #expect(configuration.allowedOrigins?.suffix(2) == ["https://a.example", "https://b.example"])
        #expect(GitHubMCPWorker.mcpConfiguration(Env()).responseMode == .sse)
    }
}
