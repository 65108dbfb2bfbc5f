import Foundation
import HTTPTypes
import Logging
import NIOHTTP1
import Testing
import WorkersAccess
import WorkersRuntime
import WorkersTesting

@testable import WorkersServer

@Suite("Protection from [swift_workers] configuration")
struct ConfiguredProtectionTests {
    let worker = Worker { _, _, ctx in try Response.json(["props": ctx.props ?? .null]) }

    @Test("bearer_token guards every request with the named secrets")
    func bearer() async throws {
        let env = Env(secrets: ["API_TOKEN": "t0k3n"])
        let protection = WorkerConfig.Protection(bearerToken: .init(secrets: ["API_TOKEN"]))
        let guarded = try ConfiguredProtection.apply(protection, to: worker, env: env, logger: Logger(label: "test"))
        let server = try await LiveServer.start(worker: guarded, env: env)
        let denied = try await TestClient().send(.get, server.url("/anything"))
        let allowed = try await TestClient().send(.get, server.url("/anything"), headers: [("Authorization", "Bearer t0k3n")])
        try await server.stop()
        #expect(denied.status == 401)
        #expect(allowed.status == 200)
        #expect(allowed.json?["props"]?["token"] == "API_TOKEN")
    }

    @Test("refuses to start when none of the bearer secrets is set")
    func bearerWithoutSecret() {
        let protection = WorkerConfig.Protection(bearerToken: .init(secrets: ["API_TOKEN"]))
        #expect {
            _ = try ConfiguredProtection.apply(protection, to: worker, env: Env(), logger: Logger(label: "test"))
        } throws: { error in "\(error)".contains("secret put API_TOKEN") }
    }

    @Test("access requires an assertion, and refuses a plain-http key set off loopback")
    func access() async throws {
        let protection = WorkerConfig.Protection(access: .init(audiences: ["aud"], jwksURL: "http://127.0.0.1:9/certs", issuer: "https://idp.example"))
        let guarded = try ConfiguredProtection.apply(protection, to: worker, env: Env(), logger: Logger(label: "test"), guards: [.access])
        let server = try await LiveServer.start(worker: guarded)
        let denied = try await TestClient().send(.get, server.url("/"))
        try await server.stop()
        #expect(denied.status == 401)

        let insecure = WorkerConfig.Protection(access: .init(audiences: ["aud"], jwksURL: "http://keys.example/certs", issuer: "https://idp.example"))
        #expect(throws: (any Error).self) {
            _ = try ConfiguredProtection.apply(insecure, to: worker, env: Env(), logger: Logger(label: "test"), guards: [.access])
        }
    }

    @Test("an access table in a worker built without WorkersAccess refuses to start, saying how to add it")
    func accessNeedsItsLibrary() {
        let protection = WorkerConfig.Protection(access: .init(audiences: ["aud"], jwksURL: "https://keys.example/certs", issuer: "https://idp.example"))
        #expect {
            _ = try ConfiguredProtection.apply(protection, to: worker, env: Env(), logger: Logger(label: "test"))
        } throws: { error in "\(error)".contains("import WorkersAccess") && "\(error)".contains("protections: [.access]") }
    }
}
