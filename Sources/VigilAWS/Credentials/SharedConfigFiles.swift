import Foundation

/// The shared credentials and config files the aws CLI writes (`~/.aws/credentials`,
/// `~/.aws/config`, or `AWS_SHARED_CREDENTIALS_FILE` / `AWS_CONFIG_FILE`), read as the SDKs read
/// them: `[name]` sections in the credentials file, `[default]` and `[profile name]` in the config
/// file, `key = value` lines, `#` and `;` comments; a profile's settings from both files, the
/// credentials file's winning.
public struct SharedConfigFiles: Sendable {
    /// Settings by profile name, then by lower-case key.
    public let profiles: [String: [String: String]]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let credentialsPath = environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "\(home)/.aws/credentials"
        let configPath = environment["AWS_CONFIG_FILE"] ?? "\(home)/.aws/config"
        self.init(credentials: (try? String(contentsOfFile: credentialsPath, encoding: .utf8)) ?? "",
                  config: (try? String(contentsOfFile: configPath, encoding: .utf8)) ?? "")
    }

    public init(credentials: String, config: String) {
        var profiles: [String: [String: String]] = [:]
        for (name, settings) in Self.sections(config) {
            // In the config file every profile but `default` is `[profile name]`.
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            let profile: String
            if trimmed == "default" { profile = "default" } else if trimmed.hasPrefix("profile ") {
                profile = trimmed.dropFirst("profile ".count).trimmingCharacters(in: .whitespaces)
            } else { continue }
            profiles[profile, default: [:]].merge(settings) { _, new in new }
        }
        for (name, settings) in Self.sections(credentials) {
            profiles[name.trimmingCharacters(in: .whitespaces), default: [:]].merge(settings) { _, new in new }
        }
        self.profiles = profiles
    }

    /// A profile's setting.
    public func value(_ key: String, profile: String) -> String? {
        profiles[profile]?[key].flatMap { $0.isEmpty ? nil : $0 }
    }

    private static func sections(_ text: String) -> [(String, [String: String])] {
        var out: [(String, [String: String])] = []
        var current: (String, [String: String])?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                if let current { out.append(current) }
                current = (String(line.dropFirst().dropLast()), [:])
                continue
            }
            guard current != nil, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            // An inline comment needs whitespace before it.
            if let comment = value.range(of: " #") ?? value.range(of: " ;") { value = value[..<comment.lowerBound].trimmingCharacters(in: .whitespaces) }
            current!.1[key] = value
        }
        if let current { out.append(current) }
        return out
    }
}

/// The region requests are signed for and sent to: `AWS_REGION`, `AWS_DEFAULT_REGION`, the
/// profile's `region`, else `us-east-1`.
public enum AWSRegion {
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment,
                               files: SharedConfigFiles? = nil) -> String {
        for name in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let region = environment[name], !region.isEmpty { return region }
        }
        let profile = environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        return (files ?? SharedConfigFiles(environment: environment)).value("region", profile: profile) ?? "us-east-1"
    }
}
