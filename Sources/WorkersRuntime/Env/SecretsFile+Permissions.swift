import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension SecretsFile {
    /// A warning to show when the file exists and its mode lets the group or other users read (or write) it, else
    /// `nil`. Files written by ``put(_:value:)`` are 0600; one created by hand or copied in usually follows the
    /// umask (0644), which exposes every secret to every local user.
    ///
    /// ```swift
    /// if let warning = secrets.permissionWarning() { logger.warning("\(warning)") }
    /// ```
    public func permissionWarning() -> String? {
        var info = stat()
        guard stat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 != 0 else { return nil }
        let octal = String(mode, radix: 8)
        let path = url.path.escapedForLog
        return "\(path) holds secrets but is accessible to other users (mode 0\(octal)); fix it with: chmod 600 \(path)"
    }
}
