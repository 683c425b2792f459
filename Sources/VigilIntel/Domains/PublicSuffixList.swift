import Foundation

/// The Public Suffix List: which parts of a name are a public suffix (`com`, `co.uk`,
/// `s3.amazonaws.com`), so that the registrable domain (`example.co.uk`) can be found.
///
/// Follows the list's published algorithm: exception rules win, then the longest matching rule
/// (wildcards included), else the implicit `*` rule. Rules are kept in both their Unicode and
/// ASCII (`xn--`) forms, so names from DNS logs (always ASCII) and Unicode names both work.
public struct PublicSuffixList: Sendable {
    private var rules: Set<String> = []
    private var wildcards: Set<String> = []
    private var exceptions: Set<String> = []

    /// Where Debian's `publicsuffix` package installs the list.
    public static let debianPath = "/usr/share/publicsuffix/public_suffix_list.dat"

    /// Number of rules read.
    public private(set) var ruleCount = 0

    /// Reads the list's text (`// comments`, one rule a line, `*.` wildcards, `!` exceptions).
    public init(text: String) {
        for line in text.split(whereSeparator: \.isNewline) {
            let rule = line.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
            guard !rule.isEmpty, !rule.hasPrefix("//") else { continue }
            ruleCount += 1
            let lower = rule.lowercased()
            for form in Set([lower, Punycode.asciiName(lower) ?? lower]) {
                if form.hasPrefix("!") { exceptions.insert(String(form.dropFirst())) }
                else if form.hasPrefix("*.") { wildcards.insert(String(form.dropFirst(2))) }
                else { rules.insert(form) }
            }
        }
    }

    /// Reads the list from a file.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        self.init(text: String(decoding: data, as: UTF8.self))
    }

    /// The list at `path`, or Debian's copy, or `nil` if neither can be read.
    public static func load(path: String? = nil) -> PublicSuffixList? {
        for candidate in [path, debianPath].compactMap({ $0 }) {
            if let list = try? PublicSuffixList(contentsOf: candidate) { return list }
        }
        return nil
    }

    /// The public suffix of `domain`, or `nil` for an empty or malformed name.
    public func publicSuffix(of domain: String) -> String? {
        guard let labels = Self.labels(domain) else { return nil }
        let n = labels.count
        var longest = 1  // the implicit "*" rule
        for i in 0..<n {
            let candidate = labels[i...].joined(separator: ".")
            if exceptions.contains(candidate) { return labels[(i + 1)...].joined(separator: ".") }
            if rules.contains(candidate) { longest = max(longest, n - i) }
            if i + 1 < n, wildcards.contains(labels[(i + 1)...].joined(separator: ".")) { longest = max(longest, n - i) }
        }
        return labels[(n - longest)...].joined(separator: ".")
    }

    /// The registrable domain: the public suffix and one more label (`www.example.co.uk` →
    /// `example.co.uk`); `nil` when the name is itself a public suffix or malformed.
    public func registrableDomain(of domain: String) -> String? {
        guard let labels = Self.labels(domain), let suffix = publicSuffix(of: domain) else { return nil }
        let suffixLabels = suffix.split(separator: ".").count
        guard labels.count > suffixLabels else { return nil }
        return labels[(labels.count - suffixLabels - 1)...].joined(separator: ".")
    }

    static func labels(_ domain: String) -> [String]? {
        var text = domain.lowercased()
        if text.hasSuffix(".") { text.removeLast() }
        guard !text.isEmpty, !text.hasPrefix(".") else { return nil }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !labels.contains(where: \.isEmpty) else { return nil }
        return labels
    }
}

extension PublicSuffixList {
    /// The label just left of the public suffix (`example` for `www.example.co.uk`) — the part of a
    /// name its owner chose — or `nil` when the name is a public suffix or malformed.
    public func registrableLabel(of domain: String) -> String? {
        guard let registrable = registrableDomain(of: domain) else { return nil }
        return registrable.firstIndex(of: ".").map { String(registrable[..<$0]) } ?? registrable
    }
}
