import Foundation
import Testing
import WorkersRuntime

@Suite("WorkerConfig: [swift_workers] server limits")
struct WorkerConfigServerLimitsTests {
    static func parse(_ text: String, environment: String? = nil) throws -> WorkerConfig {
        try WorkerConfig.parse(text, directory: URL(fileURLWithPath: "/srv/worker", isDirectory: true), environment: environment)
    }

    @Test("request_head_timeout (seconds, integer or fractional) and max_connections are read; defaults 10 s and 1024")
    func readsLimits() throws {
        let defaults = try Self.parse("name = \"w\"")
        #expect(defaults.host.requestHeadTimeout == .seconds(10))
        #expect(defaults.host.maxConnections == 1024)

        let set = try Self.parse(
            """
            [swift_workers]
            request_head_timeout = 2.5
            max_connections = 64
            [env.production.swift_workers]
            request_head_timeout = 5
            """)
        #expect(set.host.requestHeadTimeout == .milliseconds(2500))
        #expect(set.host.maxConnections == 64)
        #expect(set.warnings.isEmpty, "\(set.warnings)")
        let production = try Self.parse(
            """
            [swift_workers]
            max_connections = 64
            [env.production.swift_workers]
            request_head_timeout = 5
            """, environment: "production")
        #expect(production.host.requestHeadTimeout == .seconds(5))
        #expect(production.host.maxConnections == 64)
    }

    @Test("drain_timeout is read in seconds (0 allowed: no wait), per environment; default 10 s")
    func readsDrainTimeout() throws {
        #expect(try Self.parse("name = \"w\"").host.drainTimeout == .seconds(10))
        let text = """
            [swift_workers]
            drain_timeout = 0.5
            [env.production.swift_workers]
            drain_timeout = 0
            """
        #expect(try Self.parse(text).host.drainTimeout == .milliseconds(500))
        #expect(try Self.parse(text, environment: "production").host.drainTimeout == .zero)
    }

    @Test(arguments: [
        ("drain_timeout = -1", "[swift_workers] drain_timeout", "from 0 to 3600"),
        ("drain_timeout = 7200", "[swift_workers] drain_timeout", "from 0 to 3600"),
        ("request_head_timeout = 0", "[swift_workers] request_head_timeout", "positive number of seconds"),
        ("request_head_timeout = -1.5", "[swift_workers] request_head_timeout", "positive number of seconds"),
        ("request_head_timeout = \"10s\"", "[swift_workers] request_head_timeout", "expected a number"),
        ("max_connections = 0", "[swift_workers] max_connections", "positive number of connections"),
        ("max_connections = 1.5", "[swift_workers] max_connections", "expected an integer"),
    ])
    func invalidLimitsNameTheKey(line: String, key: String, fragment: String) throws {
        do {
            _ = try Self.parse("[swift_workers]\n\(line)")
            Issue.record("\(line) was accepted")
        } catch let error as WorkerConfigError {
            #expect(error.key == key, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
        }
    }
}
