import Foundation
import WorkersOAuthProvider
import WorkersRuntime

/// How the admin commands show the provider's records: as JSON objects and as table cells.
///
/// A client's stored ``WorkersOAuthProvider/ClientInfo/clientSecret`` is the SHA-256 of its secret. It is never
/// shown, not even in JSON: printed next to a client id it would read as the secret. Only whether the client has
/// one (`confidential`) is shown.
enum OAuthRecordView {
    /// A client as JSON, without its secret hash.
    static func json(_ client: ClientInfo) -> JSONValue {
        var object: [String: JSONValue] = [
            "clientId": .string(client.clientID),
            "type": .string(kind(client)),
            "redirectUris": .array(client.redirectURIs.map(JSONValue.string)),
            "tokenEndpointAuthMethod": .string(client.tokenEndpointAuthMethod.rawValue),
        ]
        object["clientName"] = client.clientName.map(JSONValue.string)
        object["clientUri"] = client.clientURI.map(JSONValue.string)
        object["logoUri"] = client.logoURI.map(JSONValue.string)
        object["grantTypes"] = client.grantTypes.map { .array($0.map { .string($0.rawValue) }) }
        object["scope"] = client.scope.map(JSONValue.string)
        object["registrationDate"] = client.registrationDate.map { .number(Double($0)) }
        object["registeredBy"] = client.registeredBy.map { .string($0.rawValue) }
        object["firstAuthorizedAt"] = client.firstAuthorizedAt.map { .number(Double($0)) }
        return .object(object)
    }

    /// A grant as JSON (the summary holds no secrets and no props).
    static func json(_ grant: GrantSummary) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(grant.id),
            "userId": .string(grant.userID),
            "clientId": .string(grant.clientID),
            "scope": .array(grant.scope.map(JSONValue.string)),
            "createdAt": .number(Double(grant.createdAt)),
        ]
        object["expiresAt"] = grant.expiresAt.map { .number(Double($0)) }
        object["redirectUri"] = grant.redirectURI.map(JSONValue.string)
        object["metadata"] = grant.metadata
        return .object(object)
    }

    /// `public` or `confidential`.
    static func kind(_ client: ClientInfo) -> String {
        client.tokenEndpointAuthMethod == .none ? "public" : "confidential"
    }

    /// The clients table.
    static func table(_ clients: [ClientInfo]) -> TextTable {
        var table = TextTable(["CLIENT ID", "NAME", "TYPE", "REDIRECT URIS", "REGISTERED", "BY"])
        for client in clients {
            table.append([
                client.clientID, client.clientName ?? "", kind(client), client.redirectURIs.joined(separator: " "),
                date(client.registrationDate), client.registeredBy?.rawValue ?? "",
            ])
        }
        return table
    }

    /// One client, a field per line.
    static func details(_ client: ClientInfo) -> TextTable {
        var table = TextTable(["FIELD", "VALUE"])
        table.append(["client id", client.clientID])
        table.append(["name", client.clientName ?? ""])
        table.append(["type", kind(client)])
        table.append(["auth method", client.tokenEndpointAuthMethod.rawValue])
        for uri in client.redirectURIs { table.append(["redirect uri", uri]) }
        table.append(["grant types", (client.grantTypes ?? []).map(\.rawValue).joined(separator: " ")])
        if let scope = client.scope { table.append(["scope", scope]) }
        table.append(["registered", date(client.registrationDate)])
        table.append(["registered by", client.registeredBy?.rawValue ?? ""])
        table.append(["first authorized", date(client.firstAuthorizedAt)])
        return table
    }

    /// The grants table.
    static func table(_ grants: [GrantSummary]) -> TextTable {
        var table = TextTable(["GRANT ID", "CLIENT ID", "SCOPE", "CREATED", "EXPIRES"])
        for grant in grants {
            table.append([
                grant.id, grant.clientID, grant.scope.joined(separator: " "), date(grant.createdAt),
                grant.expiresAt.map { date($0) } ?? "never",
            ])
        }
        return table
    }

    /// Seconds since the epoch as `2026-12-01 17:30:05Z`; empty for `nil`.
    static func date(_ seconds: Int?) -> String {
        guard let seconds else { return "" }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))) + "Z"
    }

    /// `value` as indented JSON with sorted keys.
    static func prettyJSON(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
