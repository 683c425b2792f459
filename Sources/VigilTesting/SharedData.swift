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
