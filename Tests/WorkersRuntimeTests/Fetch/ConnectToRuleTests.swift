import Testing
import WorkersRuntime

@Suite("ConnectToRule")
struct ConnectToRuleTests {
    @Test("parses curl's HOST:PORT:ADDRESS:ADDRESSPORT, IPv6 in brackets")
    func parses() throws {
        let rule = try ConnectToRule(parsing: "Client.Example:443:127.0.0.1:9443")
        #expect(rule == ConnectToRule(host: "client.example", port: 443, address: "127.0.0.1", addressPort: 9443))
        #expect(rule.applies(to: "client.example", port: 443))
        #expect(rule.applies(to: "CLIENT.example", port: 443))
        #expect(!rule.applies(to: "client.example", port: 8443))
        #expect(!rule.applies(to: "other.example", port: 443))
        let v6 = try ConnectToRule(parsing: "[2001:db8::1]:443:[::1]:8443")
        #expect(v6.host == "2001:db8::1" && v6.address == "::1" && v6.addressPort == 8443)
        #expect(v6.applies(to: "[2001:db8::1]", port: 443))
        #expect(v6.description == "[2001:db8::1]:443:[::1]:8443")
    }

    @Test("refuses malformed rules, naming the problem", arguments: [
        "client.example:443:127.0.0.1", "client.example:443:127.0.0.1:9443:1", ":443:127.0.0.1:9443",
        "client.example:443::9443", "client.example:https:127.0.0.1:9443", "client.example:443:127.0.0.1:0",
        "client.example:443:127.0.0.1:70000", "[::1:443:127.0.0.1:9443", "[::1]x:443:127.0.0.1:9443", "",
    ])
    func refusesMalformed(text: String) {
        #expect(throws: ConnectToRuleError.self) { try ConnectToRule(parsing: text) }
    }
}
