import Foundation
import Testing
import WorkersRuntime

@Suite("WorkerConfig: [swift_workers] metrics_listen")
struct WorkerConfigMetricsTests {
    static func parse(_ text: String, environment: String? = nil) throws -> WorkerConfig {
        try WorkerConfig.parse(text, directory: URL(fileURLWithPath: "/srv/worker", isDirectory: true), environment: environment)
    }

    @Test("metrics_listen is off by default, read as HOST:PORT, and inherited by environments unless they set their own")
    func readsMetricsListen() throws {
        #expect(try Self.parse("name = \"w\"").host.metricsListen == nil)
        let text = """
            [swift_workers]
            metrics_listen = "127.0.0.1:9464"
            [env.staging]
            name = "w-staging"
            [env.production.swift_workers]
            metrics_listen = "[::1]:9100"
            """
        let top = try Self.parse(text)
        #expect(top.host.metricsListen == ListenAddress(host: "127.0.0.1", port: 9464))
        #expect(top.warnings.isEmpty, "\(top.warnings)")
        #expect(try Self.parse(text, environment: "staging").host.metricsListen == ListenAddress(host: "127.0.0.1", port: 9464))
        #expect(try Self.parse(text, environment: "production").host.metricsListen == ListenAddress(host: "::1", port: 9100))
    }

    @Test(arguments: [
        "9464", ":9464", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "host name:80", "[::1:80", "[nope]:80", "a/b:80",
    ])
    func malformedMetricsListenNamesTheKey(value: String) throws {
        do {
            _ = try Self.parse("[swift_workers]\nmetrics_listen = \"\(value)\"")
            Issue.record("\(value) was accepted")
        } catch let error as WorkerConfigError {
            #expect(error.key == "[swift_workers] metrics_listen", "\(error)")
            #expect(error.message.contains("expected HOST:PORT"), "\(error)")
        }
    }

    @Test("ListenAddress parses host names, IPv4 and bracketed IPv6, tells loopback apart, and prints back")
    func listenAddress() {
        #expect(ListenAddress(parsing: "localhost:0") == ListenAddress(host: "localhost", port: 0))
        #expect(ListenAddress(parsing: "metrics.internal:9464")?.host == "metrics.internal")
        #expect(ListenAddress(parsing: "[::1]:9464")?.description == "[::1]:9464")
        #expect(ListenAddress(parsing: "0.0.0.0:9464")?.description == "0.0.0.0:9464")
        #expect(ListenAddress(parsing: "127.0.0.1:9464")?.isLoopback == true)
        #expect(ListenAddress(parsing: "127.8.9.10:9464")?.isLoopback == true)
        #expect(ListenAddress(parsing: "LocalHost:9464")?.isLoopback == true)
        #expect(ListenAddress(parsing: "[::1]:9464")?.isLoopback == true)
        #expect(ListenAddress(parsing: "0.0.0.0:9464")?.isLoopback == false)
        #expect(ListenAddress(parsing: "[::]:9464")?.isLoopback == false)
        #expect(ListenAddress(parsing: "10.0.0.5:9464")?.isLoopback == false)
        #expect(ListenAddress(parsing: "metrics.internal:9464")?.isLoopback == false)
        #expect(ListenAddress(parsing: "127.0.0.1:٩٤") == nil, "non-ASCII digits")
    }
}
