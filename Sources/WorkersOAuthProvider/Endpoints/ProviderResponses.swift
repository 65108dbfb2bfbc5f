import Foundation
import HTTPTypes
import WorkersRuntime

/// The provider's success documents (metadata, token and registration responses); its errors are
/// ``OAuthError/response``.
enum ProviderResponses {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    /// A JSON document, with no-store headers for anything holding credentials.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, noStore: Bool = false) -> Response {
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var headers = noStore ? Response.noStoreHeaders : HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(bytes: data))
    }
}
