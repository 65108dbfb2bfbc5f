import Testing
import WorkersRuntime

/// The SSRF guard's address classifier, range by range: both edges of every refused block, and the public
/// addresses just outside them.
@Suite("IPAddress scope")
struct IPAddressScopeTests {
    static let refused: [(String, String)] = [
        ("0.0.0.0", "unspecified"), ("0.255.255.255", "unspecified"),
        ("10.0.0.0", "private"), ("10.255.255.255", "private"),
        ("100.64.0.0", "CGNAT"), ("100.127.255.255", "CGNAT"),
        ("127.0.0.1", "loopback"), ("127.255.255.254", "loopback"),
        ("169.254.0.1", "link-local"), ("169.254.169.254", "link-local"),
        ("172.16.0.0", "private"), ("172.31.255.255", "private"),
        ("192.0.0.8", "IETF"), ("192.0.2.1", "documentation"), ("198.51.100.7", "documentation"), ("203.0.113.9", "documentation"),
        ("192.88.99.1", "6to4 relay"),
        ("192.168.0.1", "private"), ("192.168.255.255", "private"),
        ("198.18.0.0", "benchmarking"), ("198.19.255.255", "benchmarking"),
        ("224.0.0.1", "multicast"), ("239.255.255.255", "multicast"),
        ("240.0.0.1", "reserved"), ("255.255.255.255", "broadcast"),
        ("::", "unspecified"), ("::1", "loopback"),
        ("::ffff:127.0.0.1", "IPv4-mapped loopback"), ("::ffff:10.1.2.3", "IPv4-mapped private"),
        ("::ffff:169.254.169.254", "IPv4-mapped link-local"), ("::ffff:100.64.0.1", "IPv4-mapped CGNAT"),
        ("::127.0.0.1", "IPv4-compatible"), ("::8.8.8.8", "IPv4-compatible"),
        ("64:ff9b::10.0.0.1", "NAT64 of private"), ("64:ff9b::127.0.0.1", "NAT64 of loopback"),
        ("64:ff9b:1::1", "local NAT64"),
        ("fc00::1", "unique local"), ("fdff:ffff::1", "unique local"),
        ("fe80::1", "link-local"), ("febf:ffff::1", "link-local"), ("fec0::1", "site-local"),
        ("ff02::1", "multicast"), ("ff0e::1", "multicast"),
        ("2001:db8::1", "documentation"), ("2001::1", "Teredo"), ("2001:1ff:ffff::1", "IETF"),
        ("2002:7f00:0001::1", "6to4 of loopback"), ("2002:c0a8:0101::1", "6to4 of private"),
        ("3fff::1", "documentation"), ("3fff:fff::1", "documentation"),
        ("100::1", "discard-only"), ("4000::1", "outside global unicast"), ("1fff::1", "outside global unicast"),
    ]

    static let allowed = [
        "1.1.1.1", "8.8.8.8", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255",
        "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.0.1.1", "192.167.255.255",
        "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255", "93.184.216.34",
        "2606:4700:4700::1111", "2001:4860:4860::8888", "2a00:1450:4001::1", "2001:200::1", "2002:0808:0808::1",
        "64:ff9b::8.8.8.8", "::ffff:8.8.8.8", "3fff:1000::1", "2400:cb00::1",
    ]

    @Test("refuses every special-purpose range, IPv4, IPv6 and IPv4 embedded in IPv6", arguments: refused)
    func refusesSpecialRanges(address: String, range: String) throws {
        let ip = try #require(IPAddress(address))
        #expect(!ip.isPublic, "\(address) (\(range)) must be refused")
        #expect(ip.nonPublicRange != nil)
    }

    @Test("admits public unicast, including the addresses just outside each refused block", arguments: allowed)
    func admitsPublic(address: String) throws {
        let ip = try #require(IPAddress(address))
        #expect(ip.isPublic, "\(address) is public, got \(ip.nonPublicRange ?? "")")
    }

    @Test("names the range it refused")
    func namesRange() throws {
        #expect(try #require(IPAddress("127.0.0.1")).nonPublicRange?.contains("loopback") == true)
        #expect(try #require(IPAddress("::ffff:192.168.1.1")).nonPublicRange?.hasPrefix("IPv4-mapped private") == true)
        #expect(try #require(IPAddress("fd12::1")).nonPublicRange?.contains("unique local") == true)
        #expect(try #require(IPAddress("100.100.100.100")).nonPublicRange?.contains("CGNAT") == true)
    }

    @Test("parses only address literals: no host names, ports, zones or shorthand IPv4")
    func parsesLiteralsOnly() throws {
        for text in ["localhost", "127.1", "0x7f.0.0.1", "2130706433", "127.0.0.1:80", "[::1]:443", "fe80::1%eth0", "", "1.2.3.4.5", "::ffff:1.2.3"] {
            #expect(IPAddress(text) == nil, "\(text) is not an address literal")
        }
        #expect(try #require(IPAddress("[::1]")).description == "::1")
        #expect(try #require(IPAddress("2001:DB8:0:0:0:0:0:1")).description == "2001:db8::1")
        #expect(try #require(IPAddress("::ffff:10.0.0.1")).mappedIPv4 == IPAddress("10.0.0.1"))
        #expect(try #require(IPAddress("::1")).urlHost == "[::1]")
        #expect(try #require(IPAddress("192.0.2.1")).bytes == [192, 0, 2, 1])
        for loopback in ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"] { #expect(IPAddress(loopback)?.isLoopback == true, "\(loopback)") }
        for other in ["128.0.0.1", "::2", "::ffff:10.0.0.1", "10.0.0.1"] { #expect(IPAddress(other)?.isLoopback == false, "\(other)") }
    }
}
