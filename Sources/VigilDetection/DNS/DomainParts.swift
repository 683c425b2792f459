import VigilIntel
import VigilLogs

/// A queried name split the way the DNS rules need it: the registrable domain (`example.co.uk`),
/// its label (`example`) and the subdomain part in front of it (`a.b` in `a.b.example.co.uk`).
struct DomainParts {
    let name: String
    let registrable: String
    let label: String
    let subdomain: Substring

    /// Splits `query` (any case, trailing dot or not) by the Public Suffix List, or — without one —
    /// by taking the last two labels. `nil` for names the rules never judge: reverse lookups and
    /// private namespaces (`.arpa`, `.internal`, `.local`, …), AWS's own service names, and names
    /// that are a public suffix.
    init?(_ query: RawText, suffixes: PublicSuffixList?) {
        guard var name = query.string?.lowercased() else { return nil }
        while name.hasSuffix(".") { name.removeLast() }
        // Tunnels send empty labels (`data..example.com`); judge the name without them.
        if name.contains("..") || name.hasPrefix(".") { name = name.split(separator: ".").joined(separator: ".") }
        guard !name.isEmpty, !DomainParts.isExempt(name) else { return nil }
        let registrable: String
        if let suffixes {
            guard let r = suffixes.registrableDomain(of: name) else { return nil }
            registrable = r
        } else {
            let labels = name.split(separator: ".")
            guard labels.count >= 2 else { return nil }
            registrable = labels.suffix(2).joined(separator: ".")
        }
        self.name = name
        self.registrable = registrable
        self.label = registrable.firstIndex(of: ".").map { String(registrable[..<$0]) } ?? registrable
        self.subdomain = name.count > registrable.count ? name.dropLast(registrable.count + 1) : ""
        // (Callers that need the subdomain's bytes as logged measure them from the raw name.)
    }

    static let exemptSuffixes = [".arpa", ".internal", ".local", ".localdomain", ".lan", ".home", ".corp",
                                 ".amazonaws.com", ".amazonaws.com.cn", ".cloudfront.net", ".aws", ".api.aws"]

    static func isExempt(_ name: String) -> Bool {
        for suffix in exemptSuffixes where name.hasSuffix(suffix) || name == suffix.dropFirst() { return true }
        return !name.contains(".")
    }
}
