import Foundation

/// Lists the files under the paths a user names: files as they are, folders walked recursively.
///
/// Paths come back sorted, so a batch run reads files in the same order every time. Hidden files
/// and folders (names starting with `.`) are skipped.
public enum LogFileFinder {
    public struct MissingPath: Error, CustomStringConvertible, Sendable {
        public let path: String
        public var description: String { "\(path): no such file or directory" }
    }

    /// Every file under `paths`. Throws for a path that does not exist.
    public static func files(under paths: [String]) throws(MissingPath) -> [String] {
        var result: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { throw MissingPath(path: path) }
            if !isDirectory.boolValue {
                result.append(path)
                continue
            }
            guard let walker = fm.enumerator(atPath: path) else { continue }
            var found: [String] = []
            while let relative = walker.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix(".") {
                    walker.skipDescendants()
                    continue
                }
                let full = (path as NSString).appendingPathComponent(relative)
                var dir: ObjCBool = false
                if fm.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue { found.append(full) }
            }
            result.append(contentsOf: found.sorted())
        }
        return result
    }
}
