import Testing
import WorkersRuntime

@testable import WorkersOAuthProvider

/// Every rule a Client ID Metadata Document must pass, on the pure validator.
@Suite("CIMD document validation")
struct CIMDDocumentValidationTests {
    static let url = "https://client.example.com/oauth/client.json"

    static func document(_ changes: [String: JSONValue?] = [:]) -> [String: JSONValue] {
        var document: [String: JSONValue] = [
            "client_id": .string(url), "client_name": "Example Client",
            "redirect_uris": ["https://client.example.com/callback"], "token_endpoint_auth_method": "none",
        ]
        for (key, value) in changes { document[key] = value }
        return document
    }

    static func validate(_ document: [String: JSONValue], offered: [GrantType] = [.authorizationCode, .refreshToken]) throws(CIMDFetchError) -> ClientInfo {
        try ClientMetadataValidator(metadata: document, offeredGrantTypes: offered).validateDocument(at: url)
    }

    static func reason(_ document: [String: JSONValue]) -> String? {
        do { _ = try validate(document) } catch { return error.reason }
        return nil
    }

    @Test("a minimal public document becomes a public metadata-document client")
    func minimal() throws {
        let client = try Self.validate(Self.document())
        #expect(client.clientID == Self.url)
        #expect(client.clientName == "Example Client")
        #expect(client.tokenEndpointAuthMethod == .none)
        #expect(client.registeredBy == .metadataDocument)
        #expect(client.isMetadataDocumentClient && client.registeredItself && client.isPublic)
        #expect(client.grantTypes == [.authorizationCode] && client.responseTypes == [.code])
    }

    @Test("the live ChatGPT shape: extension grants and response types dropped, private_key_jwt passed over for none")
    func chatGPTShape() throws {
        let url = "https://chatgpt.com/oauth/IbUR3zxyNQ16/client.json"
        let document: [String: JSONValue] = [
            "client_id": .string(url), "client_name": "ChatGPT",
            "redirect_uris": ["https://chatgpt.com/connector/oauth/IbUR3zxyNQ16"],
            "grant_types": ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:jwt-bearer"],
            "response_types": ["code", "id_token"], "token_endpoint_auth_method": "private_key_jwt",
            "token_endpoint_auth_methods_supported": ["none", "private_key_jwt"],
            "token_endpoint_auth_signing_alg": "RS256", "jwks_uri": "https://chatgpt.com/oauth/IbUR3zxyNQ16/jwks.json",
        ]
        let client = try ClientMetadataValidator(metadata: document).validateDocument(at: url)
        #expect(client.tokenEndpointAuthMethod == .none)
        #expect(client.grantTypes == [.authorizationCode, .refreshToken])
        #expect(client.responseTypes == [.code])
        #expect(client.jwksURI == "https://chatgpt.com/oauth/IbUR3zxyNQ16/jwks.json")
    }

    @Test("refuses each broken rule, saying which", arguments: [
        (["client_id": "https://attacker.example/client.json"], "does not match"),
        (["client_id": nil], "does not match"),
        (["client_name": nil], "client_name is required"), (["client_name": "   "], "client_name is required"),
        (["redirect_uris": nil], "redirect_uris is required"), (["redirect_uris": []], "redirect_uris is required"),
        (["redirect_uris": ["javascript:alert(1)"]], "Invalid redirect URI"),
        (["redirect_uris": ["http://client.example.com/cb"]], "Invalid redirect URI"),
        (["client_secret": "s3cret"], "must not contain client secrets"),
        (["client_secret_expires_at": 0], "must not contain client secrets"),
        (["jwks": ["keys": [["kty": "EC", "d": "private"]]]], "private key material"),
        (["jwks": ["keys": [["kty": "oct", "k": "c2VjcmV0"]]]], "private key material"),
        (["jwks": ["keys": "not-an-array"]], "keys must be an array"),
        (["token_endpoint_auth_method": "client_secret_basic"], "symmetric"),
        (["token_endpoint_auth_method": "client_secret_post"], "symmetric"),
        (["token_endpoint_auth_method": "client_secret_jwt"], "symmetric"),
        (["token_endpoint_auth_method": "private_key_jwt"], "does not support an accepted"),
        (["token_endpoint_auth_method": "private_key_jwt", "token_endpoint_auth_methods_supported": ["private_key_jwt"]], "does not support an accepted"),
        (["token_endpoint_auth_method": "none", "token_endpoint_auth_methods_supported": ["private_key_jwt"]], "must be one of"),
        (["grant_types": ["refresh_token"]], "must be used together"),
        (["response_types": ["id_token"]], "must be used together"),
        (["application_type": "desktop"], "application_type"),
        (["application_type": "web", "redirect_uris": ["http://127.0.0.1:8080/cb"]], "web client"),
        (["application_type": "web", "redirect_uris": ["https://localhost/cb"]], "web client"),
        (["application_type": "web", "redirect_uris": ["com.example.app:/cb"]], "web client"),
        (["client_name": 42], "must be a string"),
    ] as [([String: JSONValue?], String)])
    func refuses(changes: [String: JSONValue?], reason: String) throws {
        let found = try #require(Self.reason(Self.document(changes)), "must be refused: \(changes)")
        #expect(found.contains(reason), "\(found)")
    }

    @Test("application_type: native allows loopback http and private-use schemes; web allows public https")
    func applicationTypes() throws {
        let native = try Self.validate(Self.document([
            "application_type": "native", "redirect_uris": ["http://127.0.0.1:33418/cb", "com.example.app:/cb", "https://client.example.com/cb"],
        ]))
        #expect(native.applicationType == .native)
        let web = try Self.validate(Self.document(["application_type": "web"]))
        #expect(web.applicationType == .web)
    }

    @Test("an absent auth method negotiates to none; public keys in jwks are fine")
    func defaults() throws {
        let client = try Self.validate(Self.document([
            "token_endpoint_auth_method": nil, "jwks": ["keys": [["kty": "EC", "crv": "P-256", "x": "a", "y": "b"]]],
        ]))
        #expect(client.tokenEndpointAuthMethod == .none)
    }

    @Test("the failure message is the anchor's: CIMD fetch failed for <url>: <reason>")
    func message() {
        do {
            _ = try Self.validate(Self.document(["client_id": "https://attacker.example/x"]))
            Issue.record("must be refused")
        } catch {
            #expect(error.description.hasPrefix("CIMD fetch failed for \(Self.url): "))
            #expect(error.metadataURL == Self.url)
        }
    }
}
