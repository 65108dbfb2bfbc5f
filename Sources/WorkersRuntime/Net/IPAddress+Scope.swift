extension IPAddress {
    /// Whether a request may be sent to this address from a server that fetches URLs chosen by strangers (an
    /// SSRF-safe fetch): `true` only for globally routable unicast. See ``nonPublicRange``.
    public var isPublic: Bool { nonPublicRange == nil }

    /// Whether this is a loopback address: `127.0.0.0/8`, `::1`, or IPv4-mapped loopback.
    public var isLoopback: Bool {
        if let mapped = mappedIPv4 { return mapped.isLoopback }
        return isIPv4 ? bytes[0] == 127 : bytes == [UInt8](repeating: 0, count: 15) + [1]
    }

    /// The special-purpose range (IANA's IPv4 and IPv6 special-purpose registries) this address is in, by name,
    /// or `nil` for a public unicast address.
    ///
    /// Refused: loopback, RFC 1918 private, link-local, shared address space (CGNAT, `100.64/10`), unspecified and
    /// "this network", multicast, broadcast and reserved, documentation and benchmarking blocks, IPv6 unique-local,
    /// site-local, discard-only, the IETF protocol block `2001::/23` (Teredo among it), anything outside IPv6 global
    /// unicast `2000::/3`. An IPv6 address that embeds an IPv4 one (IPv4-mapped `::ffff:0:0/96`, NAT64
    /// `64:ff9b::/96`, 6to4 `2002::/16`) is judged by the IPv4 address; IPv4-compatible `::/96` is refused outright.
    public var nonPublicRange: String? {
        isIPv4 ? Self.ipv4Range(bytes) : Self.ipv6Range(bytes)
    }

    private static func ipv4Range(_ b: [UInt8]) -> String? {
        switch (b[0], b[1], b[2]) {
        case (0, _, _): return "unspecified (0.0.0.0/8)"
        case (10, _, _): return "private (10.0.0.0/8)"
        case (100, 64...127, _): return "shared address space, CGNAT (100.64.0.0/10)"
        case (127, _, _): return "loopback (127.0.0.0/8)"
        case (169, 254, _): return "link-local (169.254.0.0/16)"
        case (172, 16...31, _): return "private (172.16.0.0/12)"
        case (192, 0, 0): return "IETF protocol assignments (192.0.0.0/24)"
        case (192, 0, 2), (198, 51, 100), (203, 0, 113): return "documentation"
        case (192, 88, 99): return "6to4 relay anycast (192.88.99.0/24)"
        case (192, 168, _): return "private (192.168.0.0/16)"
        case (198, 18...19, _): return "benchmarking (198.18.0.0/15)"
        case (224...239, _, _): return "multicast (224.0.0.0/4)"
        case (240...255, _, _): return "reserved or broadcast (240.0.0.0/4)"
        default: return nil
        }
    }

    private static func ipv6Range(_ b: [UInt8]) -> String? {
        if b[0..<15].allSatisfy({ $0 == 0 }) { return b[15] == 1 ? "loopback (::1)" : b[15] == 0 ? "unspecified (::)" : "IPv4-compatible (::/96)" }
        if b[0..<10].allSatisfy({ $0 == 0 }), b[10] == 0xFF, b[11] == 0xFF {
            return ipv4Range(Array(b[12..<16])).map { "IPv4-mapped \($0)" }
        }
        if b[0..<12].allSatisfy({ $0 == 0 }) { return "IPv4-compatible (::/96)" }
        if b[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] {
            return ipv4Range(Array(b[12..<16])).map { "NAT64 of \($0)" }
        }
        switch (b[0], b[1]) {
        case (0xFF, _): return "multicast (ff00::/8)"
        case (0xFC...0xFD, _): return "unique local (fc00::/7)"
        case (0xFE, 0x80...0xBF): return "link-local (fe80::/10)"
        case (0xFE, 0xC0...0xFF): return "site-local (fec0::/10)"
        case (0x20, 0x01) where b[2] == 0x0D && b[3] == 0xB8: return "documentation (2001:db8::/32)"
        case (0x20, 0x01) where b[2] <= 0x01: return "IETF protocol assignments (2001::/23)"
        case (0x20, 0x02): return ipv4Range(Array(b[2..<6])).map { "6to4 of \($0)" }
        case (0x3F, 0xFF) where b[2] <= 0x0F: return "documentation (3fff::/20)"
        case (0x20...0x3F, _): return nil
        default: return "not global unicast (outside 2000::/3)"
        }
    }
}
