extension String {
    /// The string with every control character escaped, safe to put in a log line (CWE-117).
    ///
    /// Values an attacker chooses (a JWT `kid`, a redirect URI, a parameter name) must never start a new line or
    /// rewrite the terminal in a log: `\n`, `\r` and `\t` become those two-character escapes, every other C0 or C1
    /// control character, DEL, and the Unicode line and paragraph separators become `\u{XX}`. Backslashes are left
    /// as they are, so escaping twice changes nothing more.
    ///
    /// ```swift
    /// logger.notice("Access assertion rejected", metadata: ["kid": "\(kid.escapedForLog)"])
    /// ```
    public var escapedForLog: String {
        guard unicodeScalars.contains(where: Self.needsEscaping) else { return self }
        var escaped = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": escaped.append(contentsOf: #"\n"#.unicodeScalars)
            case "\r": escaped.append(contentsOf: #"\r"#.unicodeScalars)
            case "\t": escaped.append(contentsOf: #"\t"#.unicodeScalars)
            case _ where Self.needsEscaping(scalar):
                escaped.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }

    private static func needsEscaping(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: true
        default: false
        }
    }
}
