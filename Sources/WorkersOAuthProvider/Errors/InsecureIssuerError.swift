/// The issuer is plain http on a non-loopback host: refused.
struct InsecureIssuerError: Error, CustomStringConvertible {
    let issuer: String
    var description: String { "Refusing to act as issuer \(issuer): an issuer must use https (http only on loopback hosts)" }
}
