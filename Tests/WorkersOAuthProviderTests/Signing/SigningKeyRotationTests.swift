import Foundation
import Logging
import Testing
import WorkersKV
import WorkersRuntime
import WorkersTesting
@testable import WorkersOAuthProvider

/// Rotation and removal through the store, as seen by the process that made them and by another one.
@Suite struct SigningKeyRotationTests {
    typealias Fixture = SigningKeyStoreTests

    /// Two processes on one SQLite file, on one clock.
    struct TwoProcesses {
        let clock = TestClock()
        let here: (keys: SigningKeys, store: OAuthStore)
        let there: (keys: SigningKeys, store: OAuthStore)

        init(file: URL) throws {
            let signing = AccessTokenSigning()
            here = (SigningKeys(signing, now: clock.nowFunction, logger: .init(label: "here")), OAuthStore(kv: try SQLiteKV(path: file)))
            there = (SigningKeys(signing, now: clock.nowFunction, logger: .init(label: "there")), OAuthStore(kv: try SQLiteKV(path: file)))
        }
    }

    static func kid(_ jwt: String) throws -> String { try #require(SigningKeys.Header(jwt)).kid }

    @Test("after a rotation the new key signs, both keys are published and old tokens still verify, until the retention ends")
    func rotation() async throws {
        let (directory, file) = Fixture.database()
        defer { try? FileManager.default.removeItem(at: directory) }
        let processes = try TwoProcesses(file: file)
        let (keys, store) = processes.here
        let old = try await keys.sign(Fixture.claims(exp: processes.clock.seconds + 300), store: store, env: Fixture.env)
        let oldKid = try Self.kid(old)

        let rotated = try await keys.rotate(store: store, env: Fixture.env)
        #expect(rotated.retiredKeyID == oldKid && rotated.keyID != oldKid)
        #expect(rotated.retiredKeyPublishedUntil == processes.clock.seconds + 390)
        let new = try await keys.sign(Fixture.claims(exp: processes.clock.seconds + 300), store: store, env: Fixture.env)
        #expect(try Self.kid(new) == rotated.keyID)
        #expect(Set(try await keys.publishedKeys(store: store, env: Fixture.env).map(\.kid)) == [oldKid, rotated.keyID])
        #expect(try await keys.verify(old, store: store, env: Fixture.env) != nil)
        #expect(try await keys.verify(new, store: store, env: Fixture.env) != nil)
        let listed = try await keys.summaries(store: store)
        #expect(listed.map(\.keyID) == [rotated.keyID, oldKid] && listed.map(\.state) == [.current, .retired])
        #expect(listed.first { $0.keyID == oldKid }?.publishedUntil == rotated.retiredKeyPublishedUntil)

        // The retired key leaves the set once its last token has expired and every process has re-read it.
        processes.clock.advance(by: 390)
        #expect(try await keys.publishedKeys(store: store, env: Fixture.env).map(\.kid) == [rotated.keyID])
    }

    @Test("another process signs with the old key until it re-reads the set, and verifies the new key's tokens at once")
    func rotationSeenByAnotherProcess() async throws {
        let (directory, file) = Fixture.database()
        defer { try? FileManager.default.removeItem(at: directory) }
        let processes = try TwoProcesses(file: file)
        let (there, thereStore) = processes.there
        let first = try await there.sign(Fixture.claims(), store: thereStore, env: Fixture.env)
        let rotated = try await processes.here.keys.rotate(store: processes.here.store, env: Fixture.env)
        #expect(rotated.retiredKeyID == (try Self.kid(first)))

        let stale = try await there.sign(Fixture.claims(), store: thereStore, env: Fixture.env)
        #expect(try Self.kid(stale) == rotated.retiredKeyID, "it has not re-read the set yet")
        let fresh = try await processes.here.keys.sign(Fixture.claims(), store: processes.here.store, env: Fixture.env)
        #expect(try await there.verify(fresh, store: thereStore, env: Fixture.env) != nil, "an unknown kid makes it re-read")

        processes.clock.advance(by: 30)
        #expect(try Self.kid(try await there.sign(Fixture.claims(), store: thereStore, env: Fixture.env)) == rotated.keyID)
    }

    @Test("after a removal the removed key's tokens no longer verify and it is gone from the JWK Set; the current key cannot be removed")
    func removal() async throws {
        let (directory, file) = Fixture.database()
        defer { try? FileManager.default.removeItem(at: directory) }
        let processes = try TwoProcesses(file: file)
        let (keys, store) = processes.here
        let old = try await keys.sign(Fixture.claims(), store: store, env: Fixture.env)
        #expect(try await processes.there.keys.verify(old, store: processes.there.store, env: Fixture.env) != nil)
        let rotated = try await keys.rotate(store: store, env: Fixture.env)

        let refused = await #expect(throws: OAuthProviderError.self) { try await keys.remove(rotated.keyID, store: store) }
        #expect(refused?.message.contains("current key") == true)
        await #expect(throws: OAuthProviderError.self) { try await keys.remove("no-such-key-0000", store: store) }

        try await keys.remove(try #require(rotated.retiredKeyID), store: store)
        #expect(try await keys.verify(old, store: store, env: Fixture.env) == nil, "at once in the process that removed it")
        #expect(try await keys.publishedKeys(store: store, env: Fixture.env).map(\.kid) == [rotated.keyID])
        #expect(try await keys.summaries(store: store).map(\.keyID) == [rotated.keyID])
        // Another process stops accepting it once it re-reads the set.
        processes.clock.advance(by: 30)
        #expect(try await processes.there.keys.verify(old, store: processes.there.store, env: Fixture.env) == nil)
        #expect(try await processes.there.keys.publishedKeys(store: processes.there.store, env: Fixture.env).map(\.kid) == [rotated.keyID])
    }
}
