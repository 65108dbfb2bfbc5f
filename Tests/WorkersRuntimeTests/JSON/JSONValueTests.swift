import Foundation
import Testing
import WorkersRuntime

@Suite("JSONValue")
struct JSONValueTests {
    @Test("round-trips arbitrary JSON and keeps integers integral")
    func roundTrip() throws {
        let text = #"{"a":[1,2.5,true,null,"s"],"b":{"c":-3}}"#
        let value = try JSONValue(parsing: Data(text.utf8))
        #expect(value["a"]?.arrayValue?.count == 5)
        #expect(value["b"]?["c"] == -3)
        #expect(value.jsonString == text)
    }

    @Test("encodes and decodes Codable types")
    func codable() throws {
        struct Props: Codable, Equatable { let login: String; let id: Int }
        let value = try JSONValue(encoding: Props(login: "octocat", id: 1))
        #expect(value == ["id": 1, "login": "octocat"])
        #expect(try value.decode(as: Props.self) == Props(login: "octocat", id: 1))
    }

    @Test("env reads secrets before vars and JSON vars as text")
    func env() {
        let env = Env(vars: ["A": "var", "B": ["x": 1], "C": "only-var"], secrets: ["A": "secret"])
        #expect(env.A == "secret")
        #expect(env.B == #"{"x":1}"#)
        #expect(env.json("B")?["x"] == 1)
        #expect(env.C == "only-var")
        #expect(env.MISSING == nil)
    }
}
