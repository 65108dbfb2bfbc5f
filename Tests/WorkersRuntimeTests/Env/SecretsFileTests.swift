import Foundation
import Testing
import WorkersRuntime

@Suite("SecretsFile")
struct SecretsFileTests {
    /// A fresh directory for one test, removed afterwards.
    static func withDirectory(_ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory)
    }

    static func permissions(of url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return try #require(attributes[.posixPermissions] as? Int)
    }

    @Test func putListDeleteRoundTrip() throws {
        try Self.withDirectory { directory in
            let file = SecretsFile(url: directory.appendingPathComponent(".dev.vars"))
            #expect(try file.list().isEmpty)
            try file.put("MCP_SECRET_TOKEN", value: "s3cr3t with spaces\nand a newline")
            try file.put("GITHUB_CLIENT_SECRET", value: "abc")
            #expect(try file.list() == ["MCP_SECRET_TOKEN", "GITHUB_CLIENT_SECRET"])
            #expect(try DotEnv.load(from: file.url) == [
                "MCP_SECRET_TOKEN": "s3cr3t with spaces\nand a newline", "GITHUB_CLIENT_SECRET": "abc",
            ])
            #expect(try file.delete("MCP_SECRET_TOKEN"))
            #expect(try !file.delete("MCP_SECRET_TOKEN"))
            #expect(try file.list() == ["GITHUB_CLIENT_SECRET"])
        }
    }

    @Test func putPreservesOtherEntriesCommentsAndOrder() throws {
        try Self.withDirectory { directory in
            let url = directory.appendingPathComponent(".dev.vars")
            try Data("# local secrets\nA=1\nB=\"two\nlines\"\n\n# keep me\nC='3'\n".utf8).write(to: url)
            let file = SecretsFile(url: url)
            try file.put("B", value: "new")
            try file.put("D", value: "4")
            let text = try String(contentsOf: url, encoding: .utf8)
            #expect(text == "# local secrets\nA=1\nB=new\n\n# keep me\nC='3'\nD=4\n")
            try file.delete("A")
            #expect(try String(contentsOf: url, encoding: .utf8) == "# local secrets\nB=new\n\n# keep me\nC='3'\nD=4\n")
        }
    }

    @Test func putReplacesEveryDuplicateOfTheName() throws {
        try Self.withDirectory { directory in
            let url = directory.appendingPathComponent(".dev.vars")
            try Data("A=1\nB=2\nA=3".utf8).write(to: url)
            try SecretsFile(url: url).put("A", value: "x")
            #expect(try String(contentsOf: url, encoding: .utf8) == "A=x\nB=2")
        }
    }

    @Test func fileModeIsOwnerOnly() throws {
        try Self.withDirectory { directory in
            let url = directory.appendingPathComponent(".dev.vars")
            let file = SecretsFile(url: url)
            try file.put("TOKEN", value: "x")
            #expect(try Self.permissions(of: url) == 0o600)

            // An existing world-readable file is replaced by an owner-only one.
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: url.path)
            try file.put("OTHER", value: "y")
            #expect(try Self.permissions(of: url) == 0o600)
            try file.delete("OTHER")
            #expect(try Self.permissions(of: url) == 0o600)

            // No temporary files are left behind.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [".dev.vars"])
        }
    }

    @Test(arguments: ["", "1ABC", "MY-TOKEN", "A B", "TOKEN=", "é"])
    func invalidNamesAreRejected(name: String) throws {
        try Self.withDirectory { directory in
            let file = SecretsFile(url: directory.appendingPathComponent(".dev.vars"))
            #expect(throws: SecretsFileError.self) { try file.put(name, value: "x") }
            #expect(throws: SecretsFileError.self) { try file.delete(name) }
            #expect(!FileManager.default.fileExists(atPath: file.url.path))
        }
    }

    @Test(arguments: ["A", "_private", "MCP_SECRET_TOKEN", "a1"])
    func validNamesAreAccepted(name: String) throws {
        try SecretsFile.validate(name: name)
    }

    @Test func writingIntoAMissingDirectoryFails() {
        let file = SecretsFile(url: URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/.dev.vars"))
        #expect(throws: SecretsFileError.self) { try file.put("A", value: "1") }
    }
}
