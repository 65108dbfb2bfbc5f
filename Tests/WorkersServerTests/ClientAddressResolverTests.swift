import HTTPTypes
import Testing

@testable import WorkersServer

@Suite("ClientAddressResolver")
struct ClientAddressResolverTests {
    let trusted = ClientAddressResolver(trustForwardedHeaders: true)

    func fields(_ pairs: [(String, String)]) -> HTTPFields {
        HTTPFields(pairs.map { HTTPField(name: HTTPField.Name($0.0)!, value: $0.1) })
    }

    @Test("node values lose quotes, brackets and ports; anything but an IP address is no address")
    func nodes() {
        let cases: [(String, String?)] = [
            ("192.0.2.60", "192.0.2.60"), ("192.0.2.60:8080", "192.0.2.60"), (#""192.0.2.60:8080""#, "192.0.2.60"),
            ("[2001:db8:cafe::17]", "2001:db8:cafe::17"), (#""[2001:DB8:cafe::17]:4711""#, "2001:db8:cafe::17"),
            ("2001:db8::1", "2001:db8::1"), ("::ffff:192.0.2.1", "192.0.2.1"), (" 10.0.0.1 ", "10.0.0.1"),
            ("unknown", nil), ("_hidden", nil), ("evil.example", nil), ("[::1]x", nil), ("[::1", nil),
            ("1.2.3.4\nforged", nil), ("", nil), ("999.1.1.1", nil),
        ]
        for (node, expected) in cases {
            #expect(ClientAddressResolver.ipAddress(fromNode: node) == expected, "\(node)")
        }
    }

    @Test("the first Forwarded for= wins, then the first X-Forwarded-For entry, then the peer")
    func precedence() {
        let both = fields([("Forwarded", "for=192.0.2.1, for=198.51.100.1"), ("X-Forwarded-For", "203.0.113.1")])
        #expect(trusted.address(peer: "127.0.0.1", headers: both) == "192.0.2.1")
        let xff = fields([("X-Forwarded-For", "203.0.113.1, 10.0.0.2"), ("Forwarded", "proto=https")])
        #expect(trusted.address(peer: "127.0.0.1", headers: xff) == "203.0.113.1")
        let junk = fields([("Forwarded", "for=unknown"), ("X-Forwarded-For", "not-an-ip")])
        #expect(trusted.address(peer: "127.0.0.1", headers: junk) == "127.0.0.1")
        #expect(ClientAddressResolver(trustForwardedHeaders: false).address(peer: "::1", headers: both) == "::1")
        #expect(trusted.address(peer: nil, headers: [:]) == nil)
    }
}
