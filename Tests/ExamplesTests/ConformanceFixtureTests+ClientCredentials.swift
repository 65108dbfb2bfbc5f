import Foundation
import HTTPTypes
import Testing
import WorkersRuntime
import WorkersTesting

extension ConformanceFixtureTests {
    @Test("--client-credentials: a pre-registered confidential client gets a token of its own; public and over-scoped requests are refused")
    func clientCredentialsFlag() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build with swift build --build-tests")
        let client = TestClient()
        let (issued, api, overScoped, publicRequest, metadata) = try await Self.withFixture(["--client-credentials"]) { fixture in
            let machine = try await client.send(
                .post, fixture.url("/__fixture/clients"), body: #"{"token_endpoint_auth_method":"client_secret_basic","scope":"mcp:read"}"#
            )
            let credentials = [machine.json?["client_id"], machine.json?["client_secret"]].map { $0?.stringValue ?? "" }
            let basic = "Basic " + Data(credentials.joined(separator: ":").utf8).base64EncodedString()
            let issued = try await client.postForm(
                fixture.url("/oauth/token"), [("grant_type", "client_credentials"), ("scope", "mcp:read")], headers: [("Authorization", basic)]
            )
            let api = try await client.send(
                .get, fixture.url("/mcp"), headers: [("Authorization", "Bearer \(issued.json?["access_token"]?.stringValue ?? "")")]
            )
            let overScoped = try await client.postForm(
                fixture.url("/oauth/token"), [("grant_type", "client_credentials"), ("scope", "mcp:read mcp:write")],
                headers: [("Authorization", basic)]
            )
            let publicClient = try await client.send(
                .post, fixture.url("/__fixture/clients"), body: #"{"token_endpoint_auth_method":"none"}"#
            )
            let publicRequest = try await client.postForm(
                fixture.url("/oauth/token"),
                [("grant_type", "client_credentials"), ("client_id", publicClient.json?["client_id"]?.stringValue ?? "")]
            )
            let metadata = try await client.send(.get, fixture.url("/.well-known/oauth-authorization-server"))
            return (issued, api, overScoped, publicRequest, metadata)
        }

        #expect(issued.status == 200, "\(issued.text)")
        #expect(issued.json?["refresh_token"] == nil)
        #expect(issued.json?["scope"] == "mcp:read")
        #expect(issued.json?["resource"] == .string("\(Self.origin)/mcp"))
        #expect(api.status == 200)
        #expect(overScoped.status == 400)
        #expect(overScoped.json?["error"] == "invalid_scope")
        #expect(publicRequest.status == 400)
        #expect(publicRequest.json?["error"] == "unauthorized_client")
        #expect(metadata.json?["grant_types_supported"]?.arrayValue?.contains("client_credentials") == true)
    }
}
