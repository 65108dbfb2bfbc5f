import Foundation
import Testing
import WorkersRuntime

@Suite("SecretsFile permission warning")
struct SecretsFilePermissionsTests {
    /// A `.dev.vars` with `mode` in a fresh directory.
    static func secrets(mode: Int) throws -> (file: SecretsFile, directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vars-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(".dev.vars")
        try "API_KEY=secret\n".write(to: url, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
        return (SecretsFile(url: url), directory)
    }

    @Test("a .dev.vars readable by group or others gets a warning naming the mode and the chmod that fixes it")
    func exposedFileWarns() throws {
        for mode in [0o644, 0o640, 0o604, 0o660] {
            let (file, directory) = try Self.secrets(mode: mode)
            defer { try? FileManager.default.removeItem(at: directory) }
            let warning = try #require(file.permissionWarning(), "mode \(String(mode, radix: 8))")
            #expect(warning.contains("mode 0\(String(mode, radix: 8))"))
            #expect(warning.hasSuffix("chmod 600 \(file.url.path)"))
        }
    }

    @Test("a 0600 (or 0400) .dev.vars, or none at all, gets no warning")
    func privateFileIsQuiet() throws {
        for mode in [0o600, 0o400] {
            let (file, directory) = try Self.secrets(mode: mode)
            defer { try? FileManager.default.removeItem(at: directory) }
            #expect(file.permissionWarning() == nil)
        }
        let missing = SecretsFile(url: FileManager.default.temporaryDirectory.appendingPathComponent("none-\(UUID().uuidString)"))
        #expect(missing.permissionWarning() == nil)
    }
}
