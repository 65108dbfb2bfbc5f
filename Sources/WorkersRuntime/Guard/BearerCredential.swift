import Foundation
public import HTTPTypes

/// Reads the `Authorization: Bearer <token>` credential of a request
/// ([RFC 6750 §2.1](https://www.rfc-editor.org/rfc/rfc6750#section-2.1)): one parser for every bearer guard, with
/// the characters a token may hold as a parameter.
///
/// The scheme is matched case-insensitively (RFC 7235) and must be followed by a space; whitespace around the token
/// is ignored. Repeated `Authorization` fields are read joined with `", "`, which is never a valid token of either
/// alphabet's users.
///
/// ```swift
/// switch BearerCredential.parse(request.headers, alphabet: .token68) {
/// case .token(let token): ...
/// case .absent: ...                       // no Authorization field at all
/// case .notBearer, .empty, .malformed: ... // something else was sent
/// }
/// ```
public enum BearerCredential: Sendable, Equatable {
    /// No `Authorization` field.
    case absent
    /// An `Authorization` field of another scheme (or no space after the scheme).
    case notBearer
    /// `Bearer` with nothing after it.
    case empty
    /// `Bearer` followed by characters outside the alphabet.
    case malformed
    /// A token.
    case token(String)

    /// The characters a bearer token may consist of.
    public struct Alphabet: Sendable {
        private let admits: @Sendable (Unicode.Scalar) -> Bool

        /// An alphabet of the scalars `admits` accepts.
        public init(_ admits: @escaping @Sendable (Unicode.Scalar) -> Bool) {
            self.admits = admits
        }

        /// Whether every scalar of `token` belongs to the alphabet.
        public func admits(_ token: some StringProtocol) -> Bool {
            token.unicodeScalars.allSatisfy(admits)
        }

        /// RFC 6750 `b64token` (RFC 7235 `token68`): `A-Z a-z 0-9 - . _ ~ + / =`, so one token and nothing else.
        public static let token68 = Alphabet { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", ".", "_", "~", "+", "/", "=": true
            default: false
            }
        }

        /// Anything: for tokens whose own format is checked by the caller (an OAuth token `user:grant:secret` may
        /// hold any character of a user id).
        public static let any = Alphabet { _ in true }
    }

    /// The credential of `headers`' `Authorization` field(s).
    public static func parse(_ headers: HTTPFields, alphabet: Alphabet) -> BearerCredential {
        // The one field's value, read without the join `headers[.authorization]` does; repeated fields are joined.
        var fields = headers.lazy.filter { $0.name == .authorization }.makeIterator()
        guard let first = fields.next()?.value else { return .absent }
        return parse(fields.next() == nil ? first : headers[.authorization] ?? first, alphabet: alphabet)
    }

    /// The credential in one `Authorization` value.
    public static func parse(_ value: String, alphabet: Alphabet) -> BearerCredential {
        let utf8 = value.utf8
        guard let space = utf8.firstIndex(of: UInt8(ascii: " ")),
            value[..<space].utf8.elementsEqual("bearer".utf8, by: { $0 | 0x20 == $1 })
        else { return .notBearer }
        let token = trimmingWhitespace(value[utf8.index(after: space)...])
        if token.isEmpty { return .empty }
        return alphabet.admits(token) ? .token(token) : .malformed
    }

    /// The token, when there is one.
    public var token: String? {
        if case .token(let token) = self { return token }
        return nil
    }

    /// `value` without leading and trailing whitespace (`CharacterSet.whitespaces`), without bridging through
    /// `NSString` (this runs on every API request).
    static func trimmingWhitespace(_ value: Substring) -> String {
        let utf8 = value.utf8
        // The usual token is ASCII without surrounding blanks: return it as is.
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 {
            return String(value)
        }
        func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII ? scalar == " " || scalar == "\t" : CharacterSet.whitespaces.contains(scalar)
        }
        let scalars = value.unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, isWhitespace(scalars[start]) { scalars.formIndex(after: &start) }
        while start < end, isWhitespace(scalars[scalars.index(before: end)]) { scalars.formIndex(before: &end) }
        return String(scalars[start..<end])
    }
}
