/// The newest `capacity` elements appended, oldest first; a capacity of 0 keeps nothing.
struct RingBuffer<Element> {
    /// The most elements kept.
    let capacity: Int
    private var storage: [Element] = []
    /// Where the oldest element is, once the buffer is full.
    private var start = 0

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// Appends `element`, dropping the oldest one when full.
    mutating func append(_ element: Element) {
        guard capacity > 0 else { return }
        if storage.count < capacity {
            storage.append(element)
        } else {
            storage[start] = element
            start = (start + 1) % capacity
        }
    }

    /// The elements, oldest first.
    var elements: [Element] {
        Array(storage[start...] + storage[..<start])
    }
}
