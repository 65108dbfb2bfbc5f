public import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
public import WorkersRuntime

/// The outbound `fetch` handlers get by default: AsyncHTTPClient with a timeout and a response size cap.
///
/// Redirects are not followed (the Worker sees the 3xx, like `redirect: "manual"`), only `http` and `https` URLs are
/// allowed, and a response larger than ``maxResponseSize`` fails with ``WorkersRuntime/FetchError/responseTooLarge(limit:)``.
public struct HTTPClientFetcher: Fetcher {
    /// The client requests go through.
    public let client: HTTPClient
    /// How long a whole request (connect, send, receive) may take.
    public let timeout: Duration
    /// Largest response body accepted.
    public let maxResponseSize: Int

    /// Creates a fetcher.
    /// - Parameters:
    ///   - client: The client; by default a shared one that does not follow redirects.
    ///   - timeout: Per-request deadline (30 s by default).
    ///   - maxResponseSize: Response body cap (10 MiB by default).
    public init(client: HTTPClient = HTTPClientFetcher.sharedClient, timeout: Duration = .seconds(30), maxResponseSize: Int = 10 * 1024 * 1024) {
        self.client = client
        self.timeout = timeout
        self.maxResponseSize = maxResponseSize
    }

    /// A process-wide client that does not follow redirects.
    public static let sharedClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    public func fetch(_ request: Request) async throws -> Response {
        let scheme = request.url.scheme?.lowercased() ?? ""
        guard scheme == "http" || scheme == "https" else { throw FetchError.unsupportedScheme(scheme) }
        var outbound = HTTPClientRequest(url: request.url.absoluteString)
        outbound.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers {
            outbound.headers.add(name: field.name.rawName, value: field.value)
        }
        if request.body.readableBytes > 0 || ![.get, .head].contains(request.method) {
            outbound.body = .bytes(request.body)
        }
        let deadline = NIODeadline.now() + timeout.timeAmount
        do {
            let response = try await client.execute(outbound, deadline: deadline)
            var headers = HTTPFields()
            for (name, value) in response.headers {
                if let fieldName = HTTPField.Name(name) { headers.append(HTTPField(name: fieldName, value: value)) }
            }
            let body: ByteBuffer
            do {
                body = try await response.body.collect(upTo: maxResponseSize)
            } catch is NIOTooManyBytesError {
                throw FetchError.responseTooLarge(limit: maxResponseSize)
            }
            return Response(status: HTTPResponse.Status(code: Int(response.status.code)), headers: headers, body: ResponseBody(body))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw FetchError.timedOut
        }
    }
}
