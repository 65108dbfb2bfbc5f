import Foundation
import Testing
import WorkersRuntime

@Suite("WorkerConfig [swift_workers] protection")
struct WorkerConfigProtectionTests {
    let directory = URL(fileURLWithPath: "/tmp/project", isDirectory: true)

    @Test("reads bearer_token and access tables, audience as a string or an array")
    func reads() throws {
        let config = try WorkerConfig.parse(
            """
            [swift_workers.bearer_token]
            secrets = ["MCP_SECRET_TOKEN", "MCP_SECRET_TOKEN_NEXT"]

            [swift_workers.access]
            team_domain = "myteam.cloudflareaccess.com"
            audience = ["aud-1", "aud-2"]
            header = "X-Assertion"
            """,
            directory: directory
        )
        #expect(config.host.protection.bearerToken?.secrets == ["MCP_SECRET_TOKEN", "MCP_SECRET_TOKEN_NEXT"])
        #expect(config.host.protection.access == .init(teamDomain: "myteam.cloudflareaccess.com", audiences: ["aud-1", "aud-2"], header: "X-Assertion"))
        let single = try WorkerConfig.parse(
            "[swift_workers.access]\njwks_url = \"https://keys.example/certs\"\nissuer = \"https://idp.example\"\naudience = \"a\"\n",
            directory: directory
        )
        #expect(single.host.protection.access?.audiences == ["a"])
        #expect(try WorkerConfig.parse("", directory: directory).host.protection.isEmpty)
    }

    @Test("environments inherit protection unless they set their own")
    func inheritance() throws {
        let config = try WorkerConfig.parse(
            """
            [swift_workers.bearer_token]
            secrets = ["TOP"]
            [env.staging]
            name = "x"
            [env.production.swift_workers.bearer_token]
            secrets = ["PROD"]
            """,
            directory: directory, environment: "staging"
        )
        #expect(config.host.protection.bearerToken?.secrets == ["TOP"])
        let production = try WorkerConfig.parse(
            "[swift_workers.bearer_token]\nsecrets = [\"TOP\"]\n[env.production.swift_workers.bearer_token]\nsecrets = [\"PROD\"]\n",
            directory: directory, environment: "production"
        )
        #expect(production.host.protection.bearerToken?.secrets == ["PROD"])
    }

    @Test("incomplete tables are errors that name the key and line")
    func errors() {
        #expect {
            try WorkerConfig.parse("[swift_workers.bearer_token]\nsecrets = []\n", directory: directory)
        } throws: { error in
            let text = "\(error)"
            return text.contains("[swift_workers.bearer_token] secrets") && text.contains("wrangler.toml:2")
        }
        #expect {
            try WorkerConfig.parse("[swift_workers.access]\nteam_domain = \"t.example\"\n", directory: directory)
        } throws: { error in "\(error)".contains("audience") }
        #expect {
            try WorkerConfig.parse("[swift_workers.access]\naudience = \"a\"\njwks_url = \"https://k\"\n", directory: directory)
        } throws: { error in "\(error)".contains("team_domain") }
        #expect {
            try WorkerConfig.parse("[swift_workers.bearer_token]\nsecrets = [\"A\", 3]\n", directory: directory)
        } throws: { error in "\(error)".contains("secrets[1]") }
    }
}
