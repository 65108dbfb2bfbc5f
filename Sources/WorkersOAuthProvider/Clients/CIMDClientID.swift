import Foundation

/// Which client ids are Client ID Metadata Document URLs, and which of those are acceptable (the anchor's rules,
/// draft-ietf-oauth-client-id-metadata-document §3).
enum CIMDClientID {
    /// Whether `clientID` has the shape of a metadata document URL: `https:` with a non-empty path (a lone `/`
    /// counts), read from the raw string. Such ids are resolved by fetching when CIMD is on, and are never the id of
    /// a stored client.
    static func isMetadataURL(_ clientID: String) -> Bool {
        guard clientID.utf8.count > 8, clientID.prefix(8).lowercased() == "https://" else { return false }
        return !rawPath(clientID).isEmpty
    }

    /// Checks a metadata URL against the rules: no surrounding or inner whitespace, control characters or `\`;
    /// an absolute `https` URL; no userinfo, no fragment; a path whose segments, percent-decoded, are never `.`
    /// or `..`.
    /// - Returns: `nil` when acceptable, else what is wrong.
    static func problem(_ clientID: String) -> String? {
        if clientID.unicodeScalars.contains(where: { $0.value <= 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\\" }) {
            return "Client Identifier URL contains invalid whitespace or characters"
        }
        guard clientID.prefix(8).lowercased() == "https://", let components = URLComponents(string: clientID),
            components.scheme?.lowercased() == "https", let host = components.host, !host.isEmpty
        else { return "Client Identifier URL must be an absolute HTTPS URL" }
        if components.user != nil || components.password != nil || authority(clientID).contains("@") {
            return "Client Identifier URL must not contain userinfo"
        }
        if clientID.contains("#") { return "Client Identifier URL must not contain a fragment" }
        let path = rawPath(clientID)
        guard !path.isEmpty else { return "Client Identifier URL must contain a path component" }
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
            guard let decoded = String(segment).removingPercentEncoding else {
                return "Client Identifier URL contains invalid percent encoding"
            }
            if decoded == "." || decoded == ".." { return "Client Identifier URL must not contain dot path segments" }
        }
        return nil
    }

    /// The authority of `url` (between `://` and the first `/`, `?` or `#`).
    private static func authority(_ url: String) -> Substring {
        guard let start = url.range(of: "://")?.upperBound else { return "" }
        let rest = url[start...]
        return rest[..<(rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex)]
    }

    /// The path exactly as written (not as a URL parser normalises it, which would remove the dot segments the
    /// rules must see): from the first `/` after the authority to the first `?` or `#`.
    static func rawPath(_ url: String) -> Substring {
        guard let start = url.range(of: "://")?.upperBound else { return "" }
        let rest = url[start...]
        guard let boundary = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }), rest[boundary] == "/" else {
            return ""
        }
        let path = rest[boundary...]
        return path[..<(path.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? path.endIndex)]
    }
}
