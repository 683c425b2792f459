import Foundation

/// A line of a list that could not be read. The rest of the list still loads.
public struct ListIssue: Hashable, Sendable, CustomStringConvertible {
    public var path: String
    /// 1-based line (or, for STIX JSON, 1-based object) number.
    public var line: Int
    public var reason: String
    public var description: String { "\(path):\(line): \(reason)" }
}

/// What a list file yielded.
public struct ParsedList: Sendable {
    public var indicators: [Indicator] = []
    public var issues: [ListIssue] = []
    /// Entries of kinds Vigil does not match on (URLs, file hashes, e-mail addresses).
    public var unsupported = 0
}

/// Reads list files in every ``ListFormat``.
public enum ListReader {
    public static func parse(_ text: String, format: ListFormat, path: String) -> ParsedList {
        var out = ParsedList()
        func issue(_ line: Int, _ reason: String) { out.issues.append(ListIssue(path: path, line: line, reason: reason)) }
        func add(_ line: Int, _ token: Substring, name: String?, what: String = "an IP address, CIDR range or domain") {
            if let indicator = Indicator.parse(token, threatName: name) { out.indicators.append(indicator) }
            else { issue(line, "'\(token.prefix(80))' is not \(what)") }
        }
        let lines = lines(of: text)
        switch format {
        case .txt:
            for (i, raw) in lines.enumerated() {
                let line = stripComment(raw)
                let end = line.utf8.firstIndex { $0 == 0x20 || $0 == 0x09 || $0 == 0x2C || $0 == 0x3B } ?? line.endIndex
                guard end > line.startIndex else { continue }
                add(i + 1, line[..<end], name: nil)
            }
        case .hosts:
            for (i, raw) in lines.enumerated() {
                let fields = stripComment(raw).split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard !fields.isEmpty else { continue }
                guard fields.count >= 2, IPPrefix(fields[0]) != nil else {
                    issue(i + 1, "expected 'address name…'")
                    continue
                }
                for name in fields.dropFirst() where !["localhost", "localhost.localdomain", "local", "broadcasthost", "ip6-localhost", "ip6-loopback"].contains(name.lowercased()) {
                    add(i + 1, name, name: nil, what: "a domain name")
                }
            }
        case .zeek:
            var columns: [String] = []
            var separator: Character = "\t"
            for (i, raw) in lines.enumerated() {
                if raw.hasPrefix("#separator") {
                    if raw.contains("\\x09") { separator = "\t" } else if let last = raw.last { separator = last }
                    continue
                }
                if raw.hasPrefix("#fields") {
                    columns = raw.split(separator: "\t").dropFirst().map(String.init)
                    continue
                }
                if raw.hasPrefix("#") || raw.trimmingSpaces.isEmpty { continue }
                let fields = raw.split(separator: separator, omittingEmptySubsequences: false).map { String($0) }
                let indicatorAt = columns.firstIndex(of: "indicator") ?? 0
                let typeAt = columns.firstIndex(of: "indicator_type") ?? 1
                guard fields.count > max(indicatorAt, typeAt) else {
                    issue(i + 1, "expected \(max(columns.count, 2)) tab-separated fields, found \(fields.count)")
                    continue
                }
                let name = ["meta.desc", "meta.source"].lazy.compactMap { c in columns.firstIndex(of: c).flatMap { $0 < fields.count ? fields[$0] : nil } }
                    .first { $0 != "-" && !$0.isEmpty }
                switch fields[typeAt] {
                case "Intel::ADDR", "Intel::SUBNET": add(i + 1, Substring(fields[indicatorAt]), name: name, what: "an IP address or CIDR range")
                case "Intel::DOMAIN": add(i + 1, Substring(fields[indicatorAt]), name: name, what: "a domain name")
                case let type where type.hasPrefix("Intel::"): out.unsupported += 1
                default: issue(i + 1, "unknown indicator type '\(fields[typeAt].prefix(40))'")
                }
            }
        case .otxCSV:
            for (i, raw) in lines.enumerated() {
                let fields = csvFields(raw)
                guard let type = fields.first?.lowercased(), !type.isEmpty else { continue }
                if i == 0 && type.hasPrefix("indicator") { continue }
                guard fields.count >= 2 else {
                    issue(i + 1, "expected 'Indicator type,Indicator,Description'")
                    continue
                }
                let name = fields.count > 2 ? fields[2] : nil
                switch type {
                case "ipv4", "ipv6", "cidr": add(i + 1, Substring(fields[1]), name: name, what: "an IP address or CIDR range")
                case "domain", "hostname", "fqdn": add(i + 1, Substring(fields[1]), name: name, what: "a domain name")
                case "url", "uri", "filehash-md5", "filehash-sha1", "filehash-sha256", "email", "cve", "yara", "mutex", "filepath", "ja3", "imphash", "pehash", "bitcoinaddress", "sslcertfingerprint":
                    out.unsupported += 1
                default: issue(i + 1, "unknown indicator type '\(type.prefix(40))'")
                }
            }
        case .alienVault:
            for (i, raw) in lines.enumerated() {
                // '#' separates fields here, so only whole-line comments exist.
                let line = String(raw.trimmingSpaces)
                if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("//") { continue }
                let fields = line.split(separator: "#", omittingEmptySubsequences: false)
                guard fields.count >= 4 else {
                    issue(i + 1, "expected 'IP#reliability#risk#activity#…'")
                    continue
                }
                add(i + 1, fields[0], name: String(fields[3]), what: "an IP address")
            }
        case .proofPoint:
            for (i, raw) in lines.enumerated() {
                let fields = csvFields(raw)
                guard let first = fields.first, !first.isEmpty else { continue }
                if i == 0 && (first.lowercased() == "ip" || first.lowercased() == "domain") { continue }
                let category = fields.count > 1 ? fields[1] : ""
                add(i + 1, Substring(first), name: category.isEmpty ? nil : "ET category \(category)")
            }
        case .fireEye:
            var header: [String] = []
            for (i, raw) in lines.enumerated() {
                let fields = csvFields(raw)
                if fields.allSatisfy(\.isEmpty) { continue }
                if header.isEmpty {
                    header = fields.map { $0.lowercased() }
                    guard header.contains("ip") || header.contains("domain") || header.contains("cidr") || header.contains("sourceip") else {
                        issue(i + 1, "no ip, cidr or domain column in the header")
                        return out
                    }
                    continue
                }
                func column(_ name: String) -> String? {
                    header.firstIndex(of: name).flatMap { $0 < fields.count && !fields[$0].isEmpty ? fields[$0] : nil }
                }
                let name = column("malwarefamily") ?? column("actor") ?? column("threatscape") ?? column("title")
                var found = false
                for key in ["ip", "cidr", "sourceip", "domain", "sourcedomain"] {
                    guard let value = column(key) else { continue }
                    found = true
                    add(i + 1, Substring(value), name: name)
                }
                if !found { out.unsupported += 1 }
            }
        case .stix:
            parseSTIX(text, path: path, into: &out)
        }
        return out
    }

    /// The lines of `text`, split at LF, CRLF or CR on its UTF-8 bytes (a final line break leaves
    /// an empty last line, so line numbers match an editor's).
    static func lines(of text: String) -> [Substring] {
        let bytes = text.utf8
        var lines: [Substring] = []
        var start = bytes.startIndex
        var i = start
        while i != bytes.endIndex {
            let byte = bytes[i]
            guard byte == 0x0A || byte == 0x0D else {
                i = bytes.index(after: i)
                continue
            }
            lines.append(Substring(bytes[start..<i]))
            i = bytes.index(after: i)
            if byte == 0x0D, i != bytes.endIndex, bytes[i] == 0x0A { i = bytes.index(after: i) }
            start = i
        }
        lines.append(Substring(bytes[start...]))
        return lines
    }

    /// The line without its comment (`#` anywhere, `//` unless a `:` before it makes it a URL) and
    /// surrounding spaces.
    static func stripComment(_ line: Substring) -> Substring {
        var text = line
        if let hash = text.firstIndex(ofASCII: 0x23) { text = text[..<hash] }
        if let slashes = text.firstRange(ofASCII: "//"), text[..<slashes.lowerBound].firstIndex(ofASCII: 0x3A) == nil {
            text = text[..<slashes.lowerBound]
        }
        return text.trimmingSpaces
    }

    /// Splits one CSV line, honouring double quotes (`""` inside quotes is a quote).
    static func csvFields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        while let c = iterator.next() {
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { current.append("\"") } else {
                            quoted = false
                            if next == "," { fields.append(current); current = "" } else { current.append(next) }
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current)
        return fields.map { String($0.trimmingSpaces) }
    }

    /// STIX 2.x JSON (bundle, list or single object) or STIX 1.x XML.
    static func parseSTIX(_ text: String, path: String, into out: inout ParsedList) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("<") {
            parseSTIX1(trimmed, path: path, into: &out)
            return
        }
        guard let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else {
            out.issues.append(ListIssue(path: path, line: 1, reason: "not STIX: neither JSON nor XML"))
            return
        }
        let objects: [Any]
        if let bundle = json as? [String: Any], let list = bundle["objects"] as? [Any] { objects = list }
        else if let list = json as? [Any] { objects = list }
        else { objects = [json] }
        for (index, any) in objects.enumerated() {
            guard let object = any as? [String: Any], let type = object["type"] as? String else {
                out.issues.append(ListIssue(path: path, line: index + 1, reason: "STIX object without a type"))
                continue
            }
            let name = (object["name"] as? String) ?? (object["labels"] as? [String])?.first ?? (object["indicator_types"] as? [String])?.first
            switch type {
            case "indicator":
                guard let pattern = object["pattern"] as? String else {
                    out.issues.append(ListIssue(path: path, line: index + 1, reason: "indicator without a pattern"))
                    continue
                }
                let values = stixPatternValues(pattern)
                if values.isEmpty {
                    if pattern.contains("ipv4-addr") || pattern.contains("ipv6-addr") || pattern.contains("domain-name") {
                        out.issues.append(ListIssue(path: path, line: index + 1, reason: "cannot read pattern '\(pattern.prefix(80))'"))
                    } else {
                        out.unsupported += 1
                    }
                }
                for value in values {
                    if let indicator = Indicator.parse(value, threatName: name) { out.indicators.append(indicator) }
                    else { out.issues.append(ListIssue(path: path, line: index + 1, reason: "'\(value.prefix(80))' is not an address or domain")) }
                }
            case "ipv4-addr", "ipv6-addr", "domain-name":
                if let value = object["value"] as? String, let indicator = Indicator.parse(value, threatName: name) {
                    out.indicators.append(indicator)
                } else {
                    out.issues.append(ListIssue(path: path, line: index + 1, reason: "\(type) without a readable value"))
                }
            default:
                out.unsupported += 1
            }
        }
    }

    /// The values compared for equality with `ipv4-addr:value`, `ipv6-addr:value` or
    /// `domain-name:value` in a STIX 2 pattern (`[ipv4-addr:value = '198.51.100.1'] OR …`).
    static func stixPatternValues(_ pattern: String) -> [String] {
        var values: [String] = []
        var rest = Substring(pattern)
        while let range = rest.range(of: #"(ipv4-addr|ipv6-addr|domain-name):value\s*(=|ISSUBSET)\s*'([^']*)'"#, options: .regularExpression) {
            let match = rest[range]
            if let open = match.firstIndex(of: "'") {
                values.append(String(match[match.index(after: open)...].dropLast()))
            }
            rest = rest[range.upperBound...]
        }
        return values
    }

    /// STIX 1.x XML: address and domain observables.
    static func parseSTIX1(_ text: String, path: String, into out: inout ParsedList) {
        var rest = Substring(text)
        var found = false
        while let range = rest.range(of: #"<(AddressObj:Address_Value|DomainNameObj:Value|URIObj:Value)[^>]*>([^<]*)<"#, options: .regularExpression) {
            let match = rest[range]
            if let close = match.firstIndex(of: ">") {
                let value = match[match.index(after: close)...].dropLast()
                found = true
                if match.hasPrefix("<URIObj") { out.unsupported += 1 }
                else {
                    for part in value.split(separator: ",") {
                        if let indicator = Indicator.parse(part) { out.indicators.append(indicator) }
                        else { out.issues.append(ListIssue(path: path, line: 1, reason: "'\(part.prefix(80))' is not an address or domain")) }
                    }
                }
            }
            rest = rest[range.upperBound...]
        }
        if !found { out.issues.append(ListIssue(path: path, line: 1, reason: "no STIX address or domain objects found")) }
    }
}
