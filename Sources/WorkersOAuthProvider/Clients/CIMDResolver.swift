import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// Clients identified by a Client ID Metadata Document: the client id is an `https` URL, and the client is the
/// document found there, fetched through the SSRF-safe ``WorkersRuntime/Env/publicFetcher`` and cached in the KV
/// store (so every instance shares the cache), never stored as a `client:` record.
///
/// A fetch sends `Accept: application/json`, follows no redirect, reads at most 5 KiB and gives up after 10 s; the
/// answer must be 2xx JSON in UTF-8, and the document must pass ``ClientMetadataValidator/validateDocument(at:)``.
/// The raw document is cached under `cimd:<sha256(url)>` for as long as ``CIMDCachePolicy`` allows, and validated
/// again whenever it is read (rules change between releases). Fetches that miss the cache count against the
/// registration rate limit of the caller's address: a fetched document is a registration by another name.
struct CIMDResolver: Sendable {
    /// The largest document read (the anchor's limit).
    static let maximumDocumentBytes = 5 * 1024
    /// The budget of one fetch: resolve, connect, TLS, head and body.
    static let fetchTimeout: Duration = .seconds(10)
    /// The KV prefix of cached documents.
    static let cachePrefix = "cimd:"

    let options: OAuthProvider.Options
    /// The registration endpoint's limiter (per client address), or `nil` for none.
    let rateLimiter: RateLimiter?

    static func cacheKey(_ url: String) -> String { cachePrefix + TokenCrypto.hash(url) }

    /// The client the document at `url` describes.
    /// - Parameters:
    ///   - kv: The store's namespace (the cache).
    ///   - fetcher: The SSRF-safe fetcher.
    ///   - requester: The address of the client that made us look (for the rate limit).
    /// - Throws: ``CIMDFetchError`` when the URL, the fetch or the document is unacceptable; KV errors as they are.
    func client(_ url: String, kv: any KVNamespace, fetcher: any Fetcher, requester: String?) async throws -> ClientInfo {
        if let problem = CIMDClientID.problem(url) { throw CIMDFetchError(metadataURL: url, reason: problem) }
        let key = Self.cacheKey(url)
        if let cached = try await kv.getEntry(key) {
            if let client = try? validate(cached.value, url: url) { return client }
            try? await kv.delete(key)
        }
        if let rateLimiter, case .limited(let retryAfter) = rateLimiter.admitCounted(requester ?? "unknown", now: options.now().timeIntervalSince1970) {
            throw CIMDFetchError(
                metadataURL: url,
                reason: "too many client registrations and metadata fetches from this address; retry after \(retryAfter) seconds",
                retryAfter: retryAfter
            )
        }
        let (document, cacheControl) = try await fetch(url, fetcher: fetcher)
        let client = try validate(document, url: url)
        if let seconds = CIMDCachePolicy.seconds(cacheControl: cacheControl) {
            do { try await kv.put(key, bytes: document, options: KVPutOptions(expirationTtl: seconds)) } catch {
                // The cache saves a fetch; failing to fill it must not fail the request.
                options.logger.warning(
                    "Could not cache a client metadata document",
                    metadata: ["url": "\(url.escapedForLog)", "error": "\(String(describing: error).escapedForLog)"]
                )
            }
        }
        return client
    }

    /// The document at `url`, with its `Cache-Control`.
    private func fetch(_ url: String, fetcher: any Fetcher) async throws -> (Data, String?) {
        func refuse(_ reason: String) -> CIMDFetchError { CIMDFetchError(metadataURL: url, reason: reason) }
        guard let target = URL(string: url) else { throw refuse("Client Identifier URL must be an absolute HTTPS URL") }
        var headers = HTTPFields()
        headers[.accept] = "application/json"
        headers[.cacheControl] = "no-store"
        let response: Response
        do {
            response = try await fetcher.fetch(
                Request(method: .get, url: target, headers: headers),
                limits: FetchLimits(timeout: Self.fetchTimeout, maximumResponseBytes: Self.maximumDocumentBytes)
            )
        } catch let error as FetchError {
            throw refuse(error == .timedOut ? "Client metadata fetch timed out after \(Self.fetchTimeout)" : error.description)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw refuse("\(error)")
        }
        guard (200..<300).contains(response.status.code) else {
            throw refuse("Failed to fetch client metadata: HTTP \(response.status.code)")
        }
        if let type = response.headers[.contentType] {
            let parameters = type.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let media = parameters.first ?? ""
            guard media == "application/json" || (media.hasPrefix("application/") && media.hasSuffix("+json")) else {
                throw refuse("Client metadata response is not JSON (Content-Type \(type))")
            }
            if let charset = parameters.dropFirst().first(where: { $0.hasPrefix("charset=") }),
                !["charset=utf-8", "charset=\"utf-8\""].contains(charset)
            {
                throw refuse("Client metadata response is not UTF-8 (\(charset))")
            }
        }
        let body: Data
        do { body = try await response.body.data(upTo: Self.maximumDocumentBytes) } catch {
            throw refuse("Response exceeded size limit of \(Self.maximumDocumentBytes) bytes")
        }
        return (body, response.headers[.cacheControl])
    }

    /// The client `document` describes, if it is UTF-8 JSON and valid for `url`.
    private func validate(_ document: Data, url: String) throws(CIMDFetchError) -> ClientInfo {
        guard String(validating: document, as: UTF8.self) != nil else {
            throw CIMDFetchError(metadataURL: url, reason: "Client metadata response is not valid UTF-8")
        }
        guard let json = try? JSONValue(parsing: document) else {
            throw CIMDFetchError(metadataURL: url, reason: "Client metadata response is not valid JSON")
        }
        guard let metadata = json.objectValue else {
            throw CIMDFetchError(metadataURL: url, reason: "Client metadata must be a JSON object")
        }
        return try ClientMetadataValidator(
            metadata: metadata, limits: options.registrationLimits, offeredGrantTypes: options.offeredGrantTypes
        ).validateDocument(at: url)
    }
}
