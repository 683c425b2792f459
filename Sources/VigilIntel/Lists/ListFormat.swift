import Foundation

/// The formats threat and trusted lists come in: the six GuardDuty accepts, plus Zeek intel
/// files and hosts files.
public enum ListFormat: String, CaseIterable, Sendable, Codable {
    /// One IP address, CIDR range or domain a line; `#` and `//` comments; extra columns ignored.
    case txt = "TXT"
    /// STIX 2.x JSON (bundles of indicators with `ipv4-addr`/`ipv6-addr`/`domain-name` patterns,
    /// or those observables themselves), and STIX 1.x XML address and domain objects.
    case stix = "STIX"
    /// AlienVault OTX CSV: `Indicator type,Indicator,Description`.
    case otxCSV = "OTX_CSV"
    /// AlienVault reputation data: `IP#reliability#risk#activity#country#city#lat,lon#…`.
    case alienVault = "ALIEN_VAULT"
    /// Proofpoint ET Intelligence reputation CSV: `ip|domain,category,score,first_seen,last_seen,ports`.
    case proofPoint = "PROOF_POINT"
    /// FireEye iSIGHT Threat Intelligence CSV, read by its header (`ip`, `cidr`, `domain`, …).
    case fireEye = "FIRE_EYE"
    /// Zeek intel framework file: `#fields indicator indicator_type meta.source …`, tab-separated.
    case zeek = "ZEEK"
    /// A hosts file: `0.0.0.0 domain …`; the domains are the indicators.
    case hosts = "HOSTS"

    /// Parses a format name as GuardDuty spells it, or Vigil's extras, ignoring case.
    public init?(name: String) {
        let upper = name.uppercased().replacingOccurrences(of: "-", with: "_")
        if let format = ListFormat(rawValue: upper) { self = format; return }
        switch upper {
        case "OTX", "CSV_OTX": self = .otxCSV
        case "ALIENVAULT": self = .alienVault
        case "PROOFPOINT", "ET": self = .proofPoint
        case "FIREEYE", "ISIGHT": self = .fireEye
        case "INTEL": self = .zeek
        default: return nil
        }
    }

    /// The format of a file, from its name and first lines.
    public static func detect(path: String, head: String) -> ListFormat {
        let name = (path as NSString).lastPathComponent.lowercased()
        let firstLine = head.split(whereSeparator: \.isNewline).first { !$0.hasPrefix("//") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.lowercased() } ?? ""
        if head.hasPrefix("#fields") || name.hasSuffix(".intel") { return .zeek }
        if name == "hosts" || name.hasSuffix(".hosts") { return .hosts }
        let trimmed = head.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") || trimmed.hasPrefix("<") { return .stix }
        if firstLine.hasPrefix("indicator type") || firstLine.hasPrefix("\"indicator type") { return .otxCSV }
        if firstLine.hasPrefix("ip,category") || firstLine.hasPrefix("domain,category") { return .proofPoint }
        if firstLine.contains("reportid") || (firstLine.contains("malwarefamily") && firstLine.contains(",")) { return .fireEye }
        if firstLine.split(separator: "#", omittingEmptySubsequences: false).count >= 7 { return .alienVault }
        if let first = firstLine.split(whereSeparator: { $0 == " " || $0 == "\t" }).first,
           ["0.0.0.0", "127.0.0.1", "::", "::1"].contains(String(first)),
           firstLine.split(whereSeparator: { $0 == " " || $0 == "\t" }).count >= 2 { return .hosts }
        return .txt
    }
}
