import Foundation
import HTTPTypes
import NIOHTTP1
import Testing
import WorkersRuntime
import WorkersServer
import WorkersTesting

@Suite("WorkerServer over HTTPS")
struct WorkerServerTLSTests {
    /// Makes a throwaway self-signed certificate for 127.0.0.1 with the openssl command-line tool.
    static func makeCertificate(in directory: URL) throws -> (cert: String, key: String) {
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return (cert, key)
    }

    @Test("serves HTTPS from a certificate and key, and handlers see an https URL")
    func servesHTTPS() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (cert, key) = try Self.makeCertificate(in: directory)
        let worker = Worker { request, _, _ in Response.text(request.url.absoluteString) }
        let server = try await LiveServer.start(
            worker: worker,
            configuration: .init(tls: .init(certificatePath: cert, privateKeyPath: key), logRequests: false)
        )
        let response = try await TestClient().send(.get, server.url("/secure?x=1"))
        try await server.stop()
        #expect(server.baseURL.scheme == "https")
        #expect(response.status == 200)
        #expect(response.text == "https://127.0.0.1:\(server.port)/secure?x=1")
    }
}
