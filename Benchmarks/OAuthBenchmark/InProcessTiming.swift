import Foundation
import WorkersOAuthProvider
import WorkersRuntime

/// `time PORT KVDIR OUTDIR N [api]`: calls the provider in process (no HTTP, no load generator) N times per request
/// kind and prints the mean cost of each, to see where a request's time goes without the network stack; `api` times
/// the protected API call alone (for a profiler).
enum InProcessTiming {
    static func run(_ setup: BenchmarkSetup, output: URL, iterations: Int, minter: Minter, apiOnly: Bool = false) async throws {
        let token = try String(contentsOf: output.appendingPathComponent("access-token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let refreshBody = try String(contentsOf: output.appendingPathComponent("refresh-bodies.txt"), encoding: .utf8)
            .split(separator: "\n").first.map(String.init) ?? ""
        try await measure("GET /mcp (valid token)", iterations) {
            guard try await minter.callAPI(token).status == 200 else { throw Minter.Failure(description: "api call failed") }
        }
        if apiOnly { return }
        try await measure("POST /token refresh_token", iterations) {
            guard try await minter.postToken(refreshBody).status == 200 else { throw Minter.Failure(description: "refresh failed") }
        }
        let codes = try await minter.mintCodes(iterations)
        var index = 0
        try await measure("POST /token authorization_code", iterations) {
            defer { index += 1 }
            guard try await minter.postToken(Minter.codeBody(codes[index])).status == 200 else {
                throw Minter.Failure(description: "code exchange failed")
            }
        }
    }

    static func measure(_ name: String, _ iterations: Int, _ body: () async throws -> Void) async throws {
        let start = ContinuousClock.now
        for _ in 0..<iterations { try await body() }
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        print(String(format: "%-34@ %8.1f µs/request  (%.0f/s on one task)", name as NSString, seconds / Double(iterations) * 1e6, Double(iterations) / seconds))
    }
}
