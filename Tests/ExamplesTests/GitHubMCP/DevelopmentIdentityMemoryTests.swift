import Foundation
import GitHubStandIn
import HTTPTypes
import NIOCore
import Testing
import WorkersRuntime

@testable import GitHubMCP

@Suite("DevelopmentIdentity memory")
struct DevelopmentIdentityMemoryTests {
    @Test("the development identity records no requests and refuses large bodies with 413")
    func recordsNothing() async throws {
        let development = DevelopmentIdentity()
        let env = development.install(into: Env())
        let url = URL(string: "http://localhost:8787/__dev/github/login/oauth/access_token")!
        let small = Request(method: .post, url: url, body: ByteBuffer(string: "client_id=x"))
        let large = Request(method: .post, url: url, body: ByteBuffer(repeating: UInt8(ascii: "a"), count: 900 * 1024))
        for request in [small, large, small] {
            _ = try await development.handle(request, env: env, ctx: ExecutionContext())
        }
        let refused = try #require(try await development.handle(large, env: env, ctx: ExecutionContext()))
        #expect(refused.status == .contentTooLarge)
        #expect(development.standIn.configuration.recordedRequestLimit == 0)
        #expect(development.standIn.requests.isEmpty)
    }
}
