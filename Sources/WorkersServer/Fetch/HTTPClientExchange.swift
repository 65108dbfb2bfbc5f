import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import WorkersRuntime

/// One request through AsyncHTTPClient, translated both ways, with a deadline and a body cap: the part of
/// ``HTTPClientFetcher`` and ``PublicFetcher`` that is the same.
enum HTTPClientExchange {
    /// Sends `request` to `url` (which may differ from `request.url` where the connection is redirected), reading at
    /// most `maximumResponseBytes` of the body: a declared or actual larger body fails without reading further.
    /// - Parameter hostHeader: The `Host` to send when it is not `url`'s authority.
    static func send(
        _ request: Request, to url: URL, hostHeader: String? = nil, through client: HTTPClient,
        timeout: Duration, maximumResponseBytes: Int
    ) async throws -> Response {
        // AsyncHTTPClient's deadline covers the response head; the race covers a body dribbled after it too.
        try await FetchDeadline.run(within: timeout) {
            try await exchange(request, to: url, hostHeader: hostHeader, through: client, timeout: timeout, maximumResponseBytes: maximumResponseBytes)
        }
    }

    private static func exchange(
        _ request: Request, to url: URL, hostHeader: String?, through client: HTTPClient,
        timeout: Duration, maximumResponseBytes: Int
    ) async throws -> Response {
        var outbound = HTTPClientRequest(url: url.absoluteString)
        outbound.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers where field.name.canonicalName != "host" {
            outbound.headers.add(name: field.name.rawName, value: field.value)
        }
        if let hostHeader { outbound.headers.replaceOrAdd(name: "Host", value: hostHeader) }
        if request.body.readableBytes > 0 || ![.get, .head].contains(request.method) {
            outbound.body = .bytes(request.body)
        }
        let deadline = NIODeadline.now() + timeout.timeAmount
        do {
            let response = try await client.execute(outbound, deadline: deadline)
            if let declared = response.headers.first(name: "Content-Length").flatMap(Int.init), declared > maximumResponseBytes {
                throw FetchError.responseTooLarge(limit: maximumResponseBytes)
            }
            var headers = HTTPFields()
            for (name, value) in response.headers {
                if let fieldName = HTTPField.Name(name) { headers.append(HTTPField(name: fieldName, value: value)) }
            }
            let body: ByteBuffer
            do {
                body = try await response.body.collect(upTo: maximumResponseBytes)
            } catch is NIOTooManyBytesError {
                throw FetchError.responseTooLarge(limit: maximumResponseBytes)
            }
            return Response(status: HTTPResponse.Status(code: Int(response.status.code)), headers: headers, body: ResponseBody(body))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw FetchError.timedOut
        }
    }
}
