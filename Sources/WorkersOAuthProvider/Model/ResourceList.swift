/// A resource or audience: stored as a string when single, an array otherwise (the anchor's `string | string[]`).
struct ResourceList: Sendable, Codable, Equatable {
    var values: [String]

    init(_ values: [String]) { self.values = values }

    init?(_ values: [String]?) {
        guard let values, !values.isEmpty else { return nil }
        self.values = values
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let single = try? container.decode(String.self) {
            values = [single]
        } else {
            values = try container.decode([String].self)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if values.count == 1 { try container.encode(values[0]) } else { try container.encode(values) }
    }
}
