import Foundation
import Testing
import WorkersRuntime

@Suite("Env assembly")
struct EnvConfigTests {
    static let config = WorkerConfig(vars: ["A": "from vars", "B": "from vars", "C": "from vars", "JSON": ["n": 1]])

    @Test func secretsBeatVarOverridesWhichBeatVars() {
        let env = Env.make(
            config: Self.config,
            secrets: ["A": "from secrets"],
            varOverrides: ["A": "from --var", "B": "from --var"])
        #expect(env.A == "from secrets")
        #expect(env.B == "from --var")
        #expect(env.C == "from vars")
        #expect(env.MISSING == nil)
        #expect(env.json("JSON") == ["n": 1])
        #expect(env.json("A") == "from secrets")
    }

    @Test func varOverridesAreStringsEvenWhenTheyLookLikeJSON() {
        let env = Env.make(config: Self.config, secrets: [:], varOverrides: ["JSON": "{\"n\":2}"])
        #expect(env.json("JSON") == .string("{\"n\":2}"))
    }

    @Test func parsesVarArguments() throws {
        #expect(try Env.varOverrides(parsing: ["KEY:VALUE", "URL:https://x.dev:8443", "EMPTY:"]) == [
            "KEY": "VALUE", "URL": "https://x.dev:8443", "EMPTY": "",
        ])
        #expect(throws: EnvVarOverrideError.self) { try Env.varOverrides(parsing: ["NOCOLON"]) }
        #expect(throws: EnvVarOverrideError.self) { try Env.varOverrides(parsing: [":value"]) }
    }

    @Test func secretsFromAFileOverrideConfigVars() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("env-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("name = \"w\"\n[vars]\nTOKEN = \"public\"\nHOST = \"h\"\n".utf8)
            .write(to: directory.appendingPathComponent("wrangler.toml"))
        try Data("TOKEN=private\n".utf8).write(to: directory.appendingPathComponent(".dev.vars"))
        let config = try WorkerConfig.load(from: directory.appendingPathComponent("wrangler.toml"))
        let env = Env.make(config: config, secrets: try DotEnv.load(from: DotEnv.secretsFile(for: config)))
        #expect(env.TOKEN == "private")
        #expect(env.HOST == "h")
    }
}
