import Foundation
import PostgresNIO
import Testing
import WorkersKVPostgres

@Suite("PostgresURL")
struct PostgresURLTests {
    @Test("host, port, user, percent-decoded password, database and parameters")
    func full() throws {
        let url = try PostgresURL("postgres://kv%2Dapp:p%40ss%3Aw%2Frd@db.internal:6432/oauth?sslmode=verify-full&connect_timeout=3&application_name=srv")
        #expect(url.host == "db.internal")
        #expect(url.port == 6432)
        #expect(url.user == "kv-app")
        #expect(url.password == "p@ss:w/rd")
        #expect(url.database == "oauth")
        #expect(url.sslMode == .verifyFull)
        #expect(url.connectTimeout == .seconds(3))
        #expect(url.applicationName == "srv")
        let client = try url.clientConfiguration(maximumConnections: 7)
        #expect(client.host == "db.internal")
        #expect(client.port == 6432)
        #expect(client.username == "kv-app")
        #expect(client.password == "p@ss:w/rd")
        #expect(client.database == "oauth")
        #expect(client.options.connectTimeout == .seconds(3))
        #expect(client.options.maximumConnections == 7)
    }

    @Test("defaults: user postgres, port 5432, sslmode prefer (as libpq), 5 s to connect")
    func defaults() throws {
        let url = try PostgresURL("postgresql://db.internal")
        #expect(url.user == "postgres")
        #expect(url.password == nil)
        #expect(url.port == 5432)
        #expect(url.database == nil)
        #expect(url.sslMode == .prefer)
        #expect(url.connectTimeout == .seconds(5))
        #expect(try PostgresURL("postgres://h/db?sslmode=allow").sslMode == .prefer)
        for mode in PostgresURL.SSLMode.all {
            #expect(try PostgresURL("postgres://h/db?sslmode=\(mode)").sslMode == mode)
            _ = try PostgresURL("postgres://h/db?sslmode=\(mode)").clientConfiguration()
        }
    }

    @Test("an IPv6 host and a Unix socket directory")
    func addresses() throws {
        let ipv6 = try PostgresURL("postgres://u@[::1]:6000/db")
        #expect(ipv6.host == "::1")
        #expect(ipv6.port == 6000)
        let socket = try PostgresURL("postgres://u@/db?host=/var/run/postgresql")
        #expect(socket.host == nil)
        #expect(socket.socketDirectory == "/var/run/postgresql")
        #expect(try socket.clientConfiguration().unixSocketPath == "/var/run/postgresql/.s.PGSQL.5432")
    }

    @Test("malformed URLs and unknown parameters are refused, naming what is wrong")
    func refusals() {
        let cases = [
            ("http://db/x", "postgres://"), ("postgres://h/db?sslmode=bogus", "verify-full"),
            ("postgres://h/db?pool=3", "pool"), ("postgres:///db", "no host"), ("postgres://h/db?connect_timeout=0", "connect_timeout"),
            ("postgres://h/db?host=relative", "Unix socket"),
        ]
        for (text, named) in cases {
            let error = #expect(throws: PostgresKVConfigurationError.self, "\(text)") { try PostgresURL(text) }
            #expect(error?.message.contains(named) == true, "\(text): \(error?.message ?? "")")
        }
    }

    @Test("its description hides the password")
    func redacted() throws {
        let url = try PostgresURL("postgres://kv:hunter2@db.internal/oauth?sslmode=require")
        #expect("\(url)" == "postgres://kv:***@db.internal:5432/oauth?sslmode=require")
        let error = #expect(throws: PostgresKVConfigurationError.self) { try PostgresURL("postgres://kv:hunter2@h/db?x=1") }
        #expect(error?.description.contains("hunter2") == false)
    }
}
