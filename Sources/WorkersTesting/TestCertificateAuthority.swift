public import Foundation
import Crypto
import SwiftASN1
import WorkersRuntime
import X509

/// A throwaway certificate authority for tests of TLS clients and servers: a P-256 CA, and server certificates it
/// signs for chosen host names and IP addresses, as PEM files in a directory of their own (removed by ``remove()``).
///
/// ```swift
/// let ca = try TestCertificateAuthority()
/// let leaf = try ca.issue(for: ["client.example"])   // leaf.certificate / leaf.privateKey: PEM file paths
/// // trust ca.certificateFile in the client, serve with leaf in the server
/// ```
public final class TestCertificateAuthority: Sendable {
    /// The directory holding every file.
    public let directory: URL
    /// The CA certificate, PEM.
    public let certificateFile: URL
    private let key: P256.Signing.PrivateKey
    private let name: DistinguishedName

    /// Creates a CA valid from a minute ago for a day.
    public init(commonName: String = "swift-workers test CA") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("test-ca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        key = P256.Signing.PrivateKey()
        name = try DistinguishedName { CommonName(commonName) }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-60), notValidAfter: Date().addingTimeInterval(86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(key)
        )
        certificateFile = directory.appendingPathComponent("ca.pem")
        try certificate.serializeAsPEM().pemString.write(to: certificateFile, atomically: true, encoding: .utf8)
    }

    /// A server certificate and its key, as PEM files.
    public struct Leaf: Sendable {
        /// The certificate, PEM.
        public let certificate: URL
        /// The private key, PEM (PKCS #8).
        public let privateKey: URL
    }

    /// Issues a server certificate for `names`: host names become DNS names, IP literals IP addresses.
    public func issue(for names: [String]) throws -> Leaf {
        let leafKey = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(names.first ?? "localhost") }
        let alternativeNames: [GeneralName] = names.map { name in
            if let address = IPAddress(name) { return .ipAddress(ASN1OctetString(contentBytes: address.bytes[...])) }
            return .dnsName(name)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(leafKey.publicKey),
            notValidBefore: Date().addingTimeInterval(-60), notValidAfter: Date().addingTimeInterval(86_400),
            issuer: name, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(alternativeNames)
            },
            issuerPrivateKey: .init(key)
        )
        let stem = UUID().uuidString
        let leaf = Leaf(
            certificate: directory.appendingPathComponent("\(stem).pem"),
            privateKey: directory.appendingPathComponent("\(stem)-key.pem")
        )
        try certificate.serializeAsPEM().pemString.write(to: leaf.certificate, atomically: true, encoding: .utf8)
        try leafKey.pemRepresentation.write(to: leaf.privateKey, atomically: true, encoding: .utf8)
        return leaf
    }

    /// Removes every file.
    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
