/// A page of results with a cursor for the next page (`nil` when complete).
public struct ListResult<Item: Sendable>: Sendable {
    /// The items.
    public var items: [Item]
    /// Pass to the next call to continue; `nil` when there is nothing more.
    public var cursor: String?
}
