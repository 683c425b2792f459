import Foundation

/// Locates the shared test material (`../shared/data` beside the package root, or the folder
/// named by `VIGIL_SHARED_DATA`).
public enum SharedData {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    public static let root: URL = {
        if let override = ProcessInfo.processInfo.environment["VIGIL_SHARED_DATA"] {
            return URL(fileURLWithPath: override)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    }()

    /// The path of `relative` under the shared data folder.
    public static func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    /// Lines of a JSON-lines corpus file, each decoded as a dictionary.
    public static func corpus(_ relative: String) throws -> [[String: Any]] {
        guard let data = FileManager.default.contents(atPath: path(relative)) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path(relative)])
        }
        let text = String(decoding: data, as: UTF8.self)
        return try text.split(separator: "\n").map {
            guard let object = try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] else {
                throw CocoaError(.fileReadCorruptFile)
            }
            return object
        }
    }
}

import VigilLogs

extension SharedData {
    /// The text of a shared file, inflated when it is gzip.
    public static func text(_ relative: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path(relative)) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path(relative)])
        }
        return GzipInflater.text(of: data).text
    }

    /// The rows of a shared name list: `(first column, last column)` of a CSV with a header
    /// (`family,domain`, `label,qname`), or `("", line)` for a plain list.
    public static func nameRows(_ relative: String) throws -> [(String, String)] {
        let lines = try text(relative).split(whereSeparator: \.isNewline)
        let csv = relative.contains(".csv")
        return lines.dropFirst(csv ? 1 : 0).map { line in
            guard csv, let comma = line.firstIndex(of: ",") else { return ("", String(line)) }
            return (String(line[..<comma]), String(line[line.index(after: comma)...]))
        }
    }
}
