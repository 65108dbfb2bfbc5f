/// An open-ended OAuth vocabulary (grant types, response types, authentication methods, PKCE methods): a struct
/// over its wire spelling with static members for the known values, so unknown values still round-trip.
///
/// Conformers get `Codable` as a single string (the standard library's `RawRepresentable` coding) and a
/// `description` that is the wire spelling.
public protocol OAuthVocabulary: Sendable, Hashable, Codable, RawRepresentable, CustomStringConvertible
where RawValue == String {}

extension OAuthVocabulary {
    /// The wire spelling.
    public var description: String { rawValue }
}
