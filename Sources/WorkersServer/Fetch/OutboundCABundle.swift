public import NIOSSL

/// A PEM bundle of CA certificates that outbound fetches trust on top of the system's: a corporate CA
/// (`[swift_workers] outbound_ca_file`), or a test CA (`conformance-fixture --cimd-ca-file`).
public struct OutboundCABundle: Sendable, Hashable {
    /// The certificates, in file order.
    public let certificates: [NIOSSLCertificate]

    /// Reads the bundle at `path`.
    /// - Throws: ``OutboundCABundleError`` when the file cannot be read, is not PEM, or holds no certificate.
    public init(pemFile path: String) throws(OutboundCABundleError) {
        let certificates: [NIOSSLCertificate]
        do { certificates = try NIOSSLCertificate.fromPEMFile(path) } catch {
            throw OutboundCABundleError(description: "\(path): not a readable PEM certificate bundle (\(error))")
        }
        guard !certificates.isEmpty else { throw OutboundCABundleError(description: "\(path): holds no certificate") }
        self.certificates = certificates
    }

    /// The bundle as trust roots for a TLS configuration.
    public var trustRoots: [NIOSSLAdditionalTrustRoots] { [.certificates(certificates)] }
}

/// A CA bundle that cannot be used.
public struct OutboundCABundleError: Error, Sendable, CustomStringConvertible {
    /// The file and what is wrong with it.
    public let description: String
}
