import Foundation
import HTTPTypes
import Synchronization
import Testing
import WorkersRuntime
import WorkersServer
import WorkersTesting

/// The SSRF-safe fetch against a real HTTPS server signed by a test CA, reached through `connectTo` under a
/// real-looking host name, and against listeners that count connections to prove a refusal connects nowhere.
@Suite("PublicFetcher")
struct PublicFetcherTests {
    static let host = "docs.test.example"

    /// A document server on loopback with a certificate for ``host``, and a fetcher that reaches it as
    /// `https://docs.test.example/…` trusting the test CA.
    struct Harness {
        let ca: TestCertificateAuthority
        let server: LiveServer
        let fetcher: PublicFetcher
        /// What `/slow` and `/dribble` wait for before going on.
        let gate: TestGate

        static func start() async throws -> Harness {
            let gate = TestGate()
            let ca = try TestCertificateAuthority()
            let leaf = try ca.issue(for: [PublicFetcherTests.host])
            let server = try await LiveServer.start(
                worker: Worker { request, _, _ in try await Self.documents(request, gate: gate) },
                configuration: .init(tls: .init(certificatePath: leaf.certificate.path, privateKeyPath: leaf.privateKey.path), logRequests: false)
            )
            let fetcher = PublicFetcher(
                connectTo: [ConnectToRule(host: PublicFetcherTests.host, port: 443, address: "127.0.0.1", addressPort: server.port)],
                additionalTrustRoots: try OutboundCABundle(pemFile: ca.certificateFile.path).trustRoots
            )
            return Harness(ca: ca, server: server, fetcher: fetcher, gate: gate)
        }

        func stop() async throws {
            gate.open()
            try await server.stop()
            ca.remove()
        }

        static func documents(_ request: Request, gate: TestGate) async throws -> Response {
            switch request.path {
            case "/doc":
                return try Response.json(["host": request.url.host ?? "", "accept": request.header("Accept") ?? ""])
            case "/redirect":
                var headers = HTTPFields()
                headers[.location] = "https://\(PublicFetcherTests.host)/doc"
                return Response(status: .found, headers: headers)
            case "/big":
                return Response.text(String(repeating: "x", count: 10_240))
            case "/big-stream":
                return Response(status: .ok, body: .stream { writer in
                    for _ in 0..<10 { try await writer.write(String(repeating: "y", count: 1024)) }
                })
            case "/slow":
                await gate.wait()
                return Response.text("late")
            case "/dribble":
                return Response(status: .ok, body: .stream { writer in
                    try await writer.write("z")
                    await gate.wait()
                    try await writer.write("z")
                })
            default:
                return Response.text("not found", status: .notFound)
            }
        }
    }

    /// A TLS verification failure (not a timeout or a refused connection).
    static func isCertificateFailure(_ error: any Error) -> Bool {
        !(error is FetchError) && String(reflecting: error).lowercased().contains("certificate")
    }

    static func get(_ url: String) throws -> Request {
        var headers = HTTPFields()
        headers[.accept] = "application/json"
        return try Request(method: .get, url: url, headers: headers)
    }

    @Test("fetches over TLS from the connect-to address; Host, TLS name and certificate check stay the URL's host")
    func connectTo() async throws {
        let harness = try await Harness.start()
        let response = try await harness.fetcher.fetch(Self.get("https://\(Self.host)/doc"))
        let body = try JSONSerialization.jsonObject(with: try await response.body.data()) as? [String: String]
        try await harness.stop()
        #expect(response.status == .ok)
        #expect(body?["host"] == Self.host)
        #expect(body?["accept"] == "application/json")
    }

    @Test("verifies the certificate: another host name on the same server, or no trust in the test CA, fails")
    func verifiesCertificates() async throws {
        let harness = try await Harness.start()
        var otherName = harness.fetcher
        otherName.connectTo = [ConnectToRule(host: "other.test.example", port: 443, address: "127.0.0.1", addressPort: harness.server.port)]
        await #expect { _ = try await otherName.fetch(Self.get("https://other.test.example/doc")) } throws: { error in
            return Self.isCertificateFailure(error)
        }
        var untrusted = harness.fetcher
        untrusted.additionalTrustRoots = []
        await #expect { _ = try await untrusted.fetch(Self.get("https://\(Self.host)/doc")) } throws: { error in
            return Self.isCertificateFailure(error)
        }
        try await harness.stop()
    }

    @Test("refuses loopback literals and names that resolve to loopback without connecting")
    func refusesLoopback() async throws {
        let v4 = try await ConnectionCountingListener.start(host: "127.0.0.1")
        let v6 = try? await ConnectionCountingListener.start(host: "::1")
        let fetcher = PublicFetcher()
        for url in ["https://127.0.0.1:\(v4.port)/client.json", "http://127.0.0.1:\(v4.port)/", "https://localhost:\(v4.port)/client.json"]
            + (v6.map { ["https://[::1]:\($0.port)/client.json", "https://[::ffff:127.0.0.1]:\(v4.port)/x"] } ?? [])
        {
            await #expect {
                _ = try await fetcher.fetch(Self.get(url))
            } throws: { error in
                guard case .nonPublicAddress(_, _, let range) = error as? FetchError else { return false }
                return range.contains("loopback")
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(v4.connections == 0)
        #expect(v6?.connections ?? 0 == 0)
        await v4.stop()
        await v6?.stop()
    }

    @Test("resolves once and refuses a host when any of its addresses is not public")
    func refusesMixedAnswers() async throws {
        let lookups = LookupLog()
        let fetcher = PublicFetcher(resolver: HostResolver { host in
            lookups.record(host)
            switch host {
            case "mixed.test.example": return [IPAddress("93.184.216.34")!, IPAddress("10.0.0.7")!]
            case "metadata.test.example": return [IPAddress("169.254.169.254")!]
            case "mapped.test.example": return [IPAddress("::ffff:192.168.1.1")!]
            default: return []
            }
        })
        for (host, range) in [("mixed.test.example", "private"), ("metadata.test.example", "link-local"), ("mapped.test.example", "IPv4-mapped private")] {
            await #expect {
                _ = try await fetcher.fetch(Self.get("https://\(host)/client.json"))
            } throws: { error in
                guard case .nonPublicAddress(let refusedHost, _, let refused) = error as? FetchError else { return false }
                return refusedHost == host && refused.hasPrefix(range)
            }
        }
        await #expect(throws: FetchError.unresolvableHost("nowhere.test.example")) {
            _ = try await fetcher.fetch(Self.get("https://nowhere.test.example/x"))
        }
        #expect(lookups.hosts == ["mixed.test.example", "metadata.test.example", "mapped.test.example", "nowhere.test.example"])
    }

    @Test("does not follow redirects: the 3xx is the answer")
    func noRedirects() async throws {
        let harness = try await Harness.start()
        let response = try await harness.fetcher.fetch(Self.get("https://\(Self.host)/redirect"))
        try await harness.stop()
        #expect(response.status == .found)
        #expect(response.headers[.location] == "https://\(Self.host)/doc")
    }

    @Test("stops at the size cap, declared or streamed")
    func sizeCap() async throws {
        let harness = try await Harness.start()
        let limits = FetchLimits(maximumResponseBytes: 5 * 1024)
        for path in ["/big", "/big-stream"] {
            await #expect(throws: FetchError.responseTooLarge(limit: 5 * 1024)) {
                _ = try await harness.fetcher.fetch(Self.get("https://\(Self.host)\(path)"), limits: limits)
            }
        }
        let small = try await harness.fetcher.fetch(Self.get("https://\(Self.host)/doc"), limits: limits)
        #expect(small.status == .ok)
        try await harness.stop()
    }

    @Test("gives up at the deadline, for a slow head and for a body dribbled after it, while the server still waits")
    func deadline() async throws {
        for path in ["/slow", "/dribble"] {
            let harness = try await Harness.start()
            await #expect(throws: FetchError.timedOut) {
                _ = try await harness.fetcher.fetch(Self.get("https://\(Self.host)\(path)"), limits: FetchLimits(timeout: .milliseconds(500)))
            }
            #expect(!harness.gate.isOpen, "\(path): the fetch gave up while the server was still holding its answer")
            try await harness.stop()
        }
    }
}

/// The host names a test resolver was asked for, in order.
final class LookupLog: Sendable {
    private let log = Mutex<[String]>([])
    func record(_ host: String) { log.withLock { $0.append(host) } }
    var hosts: [String] { log.withLock { $0 } }
}
