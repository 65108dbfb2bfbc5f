import Foundation
import HTTPTypes
import NIOCore
import NIOFoundationCompat
import WorkersRuntime

/// Asks the authorization server about a token (RFC 7662): `POST token=…&token_type_hint=access_token`,
/// authenticated with `client_secret_basic`, the answer at most 16 KiB.
struct IntrospectionClient: Sendable {
    /// The largest answer read.
    static let maxResponseSize = 16 * 1024

    let url: URL
    let clientID: String
    let clientSecret: String
    let timeout: Duration

    /// What the endpoint answered.
    struct Answer: Decodable, Sendable {
        var active: Bool
        var client_id: String?
        var sub: String?
        var aud: Audience?
        var iss: String?
        var scope: String?
        var exp: Double?
        var iat: Double?
        var token_type: String?
        var props: JSONValue?
    }

    /// The endpoint's answer for `token`.
    /// - Throws: ``TokenRejection`` (unavailable) when the endpoint cannot be reached, refuses this client, or
    ///   answers something that is not an introspection response.
    func introspect(_ token: String, fetcher: any Fetcher) async throws(TokenRejection) -> Answer {
        var form = URLEncodedForm()
        form.append("token", token)
        form.append("token_type_hint", "access_token")
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        headers[.accept] = "application/json"
        headers[.authorization] = basicCredentials
        let request = Request(method: .post, url: url, headers: headers, body: ByteBuffer(string: form.encoded))
        do {
            let response = try await fetcher.fetch(
                request, limits: FetchLimits(timeout: timeout, maximumResponseBytes: Self.maxResponseSize)
            )
            guard response.status == .ok else {
                throw TokenRejection.unavailable("introspection endpoint answered \(response.status.code)")
            }
            let body = try await response.body.collect(upTo: Self.maxResponseSize)
            return try JSONDecoder().decode(Answer.self, from: Data(buffer: body))
        } catch let rejection as TokenRejection {
            throw rejection
        } catch {
            throw .unavailable("introspection failed: \(error)")
        }
    }

    /// `Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1).
    var basicCredentials: String {
        let pair = URLEncodedForm.encode(clientID) + ":" + URLEncodedForm.encode(clientSecret)
        return "Basic " + Data(pair.utf8).base64EncodedString()
    }
}
