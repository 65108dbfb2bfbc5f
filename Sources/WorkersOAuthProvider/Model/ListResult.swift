/// A page of results with a cursor for the next page (`nil` when complete).
public struct ListResult<Item: Sendable>: Sendable {
    /// The items.
    public var items: [Item]
    /// Pass to the next call to continue; `nil` when there is nothing more.
    public var cursor: String?
}

extension ListResult {
    /// Every page's items in order, from the first page, until a page has no cursor or `limit` items are collected.
    ///
    /// ```swift
    /// let grants = try await ListResult.collect { try await helpers.listUserGrants("alice", cursor: $0) }
    /// ```
    /// - Parameters:
    ///   - limit: Stop after this many items (the result holds at most this many).
    ///   - page: Fetches the page after `cursor` (`nil` for the first).
    public static func collect(
        upTo limit: Int = .max, _ page: (_ cursor: String?) async throws -> ListResult
    ) async throws -> [Item] {
        var items: [Item] = []
        var cursor: String?
        repeat {
            let next = try await page(cursor)
            items += next.items
            cursor = next.cursor
        } while cursor != nil && items.count < limit
        return Array(items.prefix(limit))
    }
}
