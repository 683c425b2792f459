import ArgumentParser
import Foundation
import VigilDetection
import VigilIntel
import VigilLogs
import VigilModel

/// `vigil model`: fit and measure the statistical models Vigil ships.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Train and evaluate Vigil's built-in models.",
        subcommands: [TrainDGA.self, EvaluateDGA.self, ScoreDomains.self, ScoreSeries.self])

    /// Where the material the DGA model is trained on comes from.
    struct DGAMaterial: ParsableArguments {
        @Option(name: .long, help: "A word list for the trigram model (one word a line).")
        var words = "/usr/share/dict/words"
        @Option(name: .long, help: "Benign domains: one a line, or `label,qname` CSV; .gz accepted. Repeatable.")
        var benign: [String] = ["../shared/data/dns/opendns-top-domains.txt", "../shared/data/dns/plain_names.csv.gz"]
        @Option(name: .long, help: "Generated domains as `family,domain` CSV (.gz accepted).")
        var generated = "../shared/data/dns/dga_domains.csv.gz"
        @Option(name: .long, help: "Public Suffix List (default: Debian's).")
        var publicSuffixList: String?

        func suffixes() throws -> PublicSuffixList {
            guard let list = PublicSuffixList.load(path: publicSuffixList) else {
                throw ValidationError("No Public Suffix List: install Debian's `publicsuffix` or pass --public-suffix-list.")
            }
            return list
        }

        func benignSets() throws -> [(name: String, domains: [String])] {
            try benign.map { path in (URL(fileURLWithPath: path).lastPathComponent, try NameFile.names(path)) }
        }

        func generatedDomains() throws -> [DGATrainer.LabelledDomain] {
            try NameFile.rows(generated).compactMap { row in
                row.count >= 2 ? DGATrainer.LabelledDomain(family: row[0], domain: row[1]) : nil
            }
        }
    }

    struct TrainDGA: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train-dga",
            abstract: "Fit the domain-generation classifier and write it as Swift source.",
            discussion: """
                Benign domains are split in three folds by a hash of the name (trigram model, network \
                and thresholds, held out), generated domains in two (fitted, held out); the held-out \
                figures are printed. Writes the model to --output (the source file Vigil builds from) \
                and, with --text, as a text file `vigil scan --dga-model` can load.
                """)
        @OptionGroup var material: DGAMaterial
        @Option(name: .long, help: "Where to write the generated Swift source.")
        var output = "Sources/VigilIntel/DomainGeneration/TrainedDGAModel.swift"
        @Option(name: .long, help: "Also write the model in text form here.")
        var text: String?
        @Option(name: .long, help: "Training iterations.")
        var iterations = 5000
        @Option(name: .long, help: "Hidden units.")
        var hidden = 16
        @Option(name: .long, help: "Weight of a benign example against a generated one (above 1: fewer false positives, less detection).")
        var benignWeight: Float = 3

        func run() throws {
            let suffixes = try material.suffixes()
            let label = { (name: String) in suffixes.registrableLabel(of: name) }
            let words = try NameFile.names(material.words)
            let benignSets = try material.benignSets()
            let benign = Array(Set(benignSets.flatMap(\.domains).map(NameFile.canonical))).sorted()
            let generated = try material.generatedDomains()
            var options = DGATrainer.Options()
            options.iterations = iterations
            options.hiddenUnits = hidden
            options.benignWeight = benignWeight
            let started = Date()
            let model = DGATrainer(options: options, label: label).train(words: words, benign: benign, generated: generated)
            let seconds = Date().timeIntervalSince(started)
            let provenance = "Trained on \(words.count) words, \(benign.count) benign domains (\(material.benign.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", "))) and \(generated.count) generated domains (\(URL(fileURLWithPath: material.generated).lastPathComponent)); \(iterations) iterations, \(hidden) hidden units, benign weight \(benignWeight)."
            try model.swiftSource(provenance: provenance).write(toFile: output, atomically: true, encoding: .utf8)
            if let text { try model.text.write(toFile: text, atomically: true, encoding: .utf8) }
            print("trained in \(String(format: "%.1f", seconds)) s; alert threshold \(model.alertThreshold), suspicious threshold \(model.suspiciousThreshold); wrote \(output)")
            EvaluateDGA.report(model: model, label: label, generated: generated, benignSets: benignSets, heldOutOnly: true)
        }
    }

    struct EvaluateDGA: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evaluate-dga",
            abstract: "Measure the domain-generation classifier: detection by family, false positives per benign set.")
        @OptionGroup var material: DGAMaterial
        @Option(name: .long, help: "A model in text form (default: the built-in one).")
        var model: String?
        @Flag(name: .long, help: "Measure every name, not only those held out from training.")
        var all = false

        func run() throws {
            let suffixes = try material.suffixes()
            let dga = try model.map { try DGAModel(text: String(decoding: try Data(contentsOf: URL(fileURLWithPath: $0)), as: UTF8.self)) } ?? .trained
            let generated = try material.generatedDomains(), benignSets = try material.benignSets()
            Self.report(model: dga, label: { suffixes.registrableLabel(of: $0) }, generated: generated,
                        benignSets: benignSets, heldOutOnly: !all)
            InstanceEvaluation.report(model: dga, suffixes: suffixes, generated: generated, benignSets: benignSets, heldOutOnly: !all)
        }

        static func report(model: DGAModel, label: (String) -> String?, generated: [DGATrainer.LabelledDomain],
                           benignSets: [(name: String, domains: [String])], heldOutOnly: Bool) {
            let generatedSet = heldOutOnly ? generated.filter { DGATrainer.fold($0.domain, folds: 2) == 1 } : generated
            let benign = benignSets.map { set in
                (name: set.name, domains: heldOutOnly ? set.domains.filter { DGATrainer.fold($0, folds: 3) == 2 } : set.domains)
            }
            let evaluation = DGAEvaluation(model: model, label: label, generated: generatedSet, benignSets: benign)
            func percent(_ x: Double) -> String { String(format: "%5.1f%%", x * 100) }
            print(heldOutOnly ? "held-out names only (generated half 1, benign fold 2)" : "all names")
            print("family                       names  alert  suspicious")
            for rate in evaluation.families + [evaluation.overall] {
                print("\(rate.name.padding(toLength: 26, withPad: " ", startingAt: 0)) \(String(format: "%7d", rate.total))  \(percent(rate.alertRate))  \(percent(rate.suspiciousRate))")
            }
            print("benign set                   names  alert  suspicious")
            for rate in evaluation.benign {
                print("\(rate.name.padding(toLength: 26, withPad: " ", startingAt: 0)) \(String(format: "%7d", rate.total))  \(String(format: "%5.2f%%", rate.alertRate * 100))  \(String(format: "%5.2f%%", rate.suspiciousRate * 100))")
                let flagged = evaluation.flaggedBenign[rate.name] ?? []
                if !flagged.isEmpty { print("  above the alert threshold: \(flagged.joined(separator: " "))") }
            }
        }
    }
}

extension ModelCommand {
    struct ScoreDomains: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "score-domains",
            abstract: "Print the domain-generation score of each name read from standard input.",
            discussion: "Output: `name<TAB>score<TAB>verdict<TAB>data`: the verdict `alert`, `suspicious`, `benign` or `unjudged` (too short, or a private or AWS name); `data` is `encoded` when the part in front of the registrable domain carries encoded data (the DNS-exfiltration test), else `plain`.")
        @Option(name: .long, help: "Public Suffix List (default: Debian's).")
        var publicSuffixList: String?
        @Option(name: .long, help: "A model in text form (default: the built-in one).")
        var model: String?
        @Flag(name: .long, help: "Also print the label's features.")
        var features = false

        func run() throws {
            guard let suffixes = PublicSuffixList.load(path: publicSuffixList) else {
                throw ValidationError("No Public Suffix List: install Debian's `publicsuffix` or pass --public-suffix-list.")
            }
            let dga = try model.map { try DGAModel(text: String(decoding: try Data(contentsOf: URL(fileURLWithPath: $0)), as: UTF8.self)) } ?? .trained
            while let line = readLine() {
                let name = line.trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else { continue }
                let score = suffixes.registrableLabel(of: name).flatMap { dga.score(label: $0) }
                let verdict = score.map { $0 >= dga.alertThreshold ? "alert" : $0 >= dga.suspiciousThreshold ? "suspicious" : "benign" } ?? "unjudged"
                let data = DNSDataExfiltration.carriesData(name, suffixes: suffixes) ? "encoded" : "plain"
                var line = "\(name)\t\(score.map { String(format: "%.3f", $0) } ?? "-")\t\(verdict)\t\(data)"
                if features, var label = suffixes.registrableLabel(of: name),
                   let values = label.withUTF8({ DomainLabelFeatures.compute(label: UnsafeRawBufferPointer($0), trigrams: dga.trigrams) }) {
                    line += "\t" + zip(DomainLabelFeatures.names, values.array).map { "\($0)=\(String(format: "%.2f", $1))" }.joined(separator: " ")
                }
                print(line)
            }
        }
    }
}

/// The DGA findings as an instance raises them: names of one family queried by one instance in
/// groups, through the real reader, engine and ``DomainGenerationRequests``.
enum InstanceEvaluation {
    static let groupSize = 10
    static let benignGroupSize = 100

    /// Resolver query-log lines for `names`, all from `instance`, a second apart.
    static func lines(_ names: ArraySlice<String>, instance: String, rcode: String) -> String {
        names.enumerated().map { i, name in
            let time = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000 + Int64(i) * 1000).iso8601
            let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return #"{"version":"1.100000","account_id":"123456789012","region":"us-east-1","vpc_id":"vpc-1","query_timestamp":"\#(time)","query_name":"\#(escaped).","query_type":"A","query_class":"IN","rcode":"\#(rcode)","answers":[],"srcaddr":"10.0.0.9","srcport":"53000","transport":"UDP","srcids":{"instance":"\#(instance)"}}"#
        }.joined(separator: "\n") + "\n"
    }

    /// The finding types raised for each group of names (one instance per group).
    static func findings(groups: [ArraySlice<String>], rcode: String, model: DGAModel, suffixes: PublicSuffixList) -> [Set<String>] {
        var text = ""
        for (index, group) in groups.enumerated() { text += lines(group, instance: "i-\(index)", rcode: rcode) }
        let scan = LogScan(detectors: [DomainGenerationRequests(model: model, publicSuffixes: suffixes)])
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { _ = scan.read(bytes: UnsafeRawBufferPointer($0), path: "evaluation.log") }
        var byInstance = [Set<String>](repeating: [], count: groups.count)
        for finding in scan.findings {
            if let id = finding.resource.instanceDetails?.instanceId, let index = Int(id.dropFirst(2)) { byInstance[index].insert(finding.type) }
        }
        return byInstance
    }

    static func chunks(_ names: [String], _ size: Int) -> [ArraySlice<String>] {
        stride(from: 0, to: names.count - size + 1, by: size).map { names[$0..<($0 + size)] }
    }

    static func report(model: DGAModel, suffixes: PublicSuffixList, generated: [DGATrainer.LabelledDomain],
                       benignSets: [(name: String, domains: [String])], heldOutOnly: Bool) {
        let c = "Trojan:EC2/DGADomainRequest.C!DNS", b = "Trojan:EC2/DGADomainRequest.B"
        print("per instance: \(groupSize) names of one family queried by one instance within an hour")
        print("family                     instances  C!DNS (answered)  B (NXDOMAIN)  either (NXDOMAIN)")
        var families: [String: [String]] = [:]
        for item in generated where !heldOutOnly || DGATrainer.fold(item.domain, folds: 2) == 1 { families[item.family, default: []].append(item.domain) }
        var total = (groups: 0, c: 0, b: 0, either: 0)
        for (family, names) in families.sorted(by: { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }) {
            let groups = chunks(names, groupSize)
            guard !groups.isEmpty else { continue }
            let answered = findings(groups: groups, rcode: "NOERROR", model: model, suffixes: suffixes).filter { $0.contains(c) }.count
            let nx = findings(groups: groups, rcode: "NXDOMAIN", model: model, suffixes: suffixes)
            let missing = nx.filter { $0.contains(b) }.count, either = nx.filter { !$0.isEmpty }.count
            total = (total.groups + groups.count, total.c + answered, total.b + missing, total.either + either)
            print("\(family.padding(toLength: 26, withPad: " ", startingAt: 0)) \(String(format: "%9d", groups.count))  \(String(format: "%15.1f%%", 100 * Double(answered) / Double(groups.count)))  \(String(format: "%11.1f%%", 100 * Double(missing) / Double(groups.count)))  \(String(format: "%16.1f%%", 100 * Double(either) / Double(groups.count)))")
        }
        print("\("all".padding(toLength: 26, withPad: " ", startingAt: 0)) \(String(format: "%9d", total.groups))  \(String(format: "%15.1f%%", 100 * Double(total.c) / Double(max(total.groups, 1))))  \(String(format: "%11.1f%%", 100 * Double(total.b) / Double(max(total.groups, 1))))  \(String(format: "%16.1f%%", 100 * Double(total.either) / Double(max(total.groups, 1))))")
        // Benign instances: groups of 100 names, answered and all NXDOMAIN; and groups of ten resolving
        // names, as the infected instances above.
        for size in [benignGroupSize, groupSize] {
            print(size == groupSize ? "benign: \(size) resolving names per instance (as the infected ones above); instances with any DGA finding"
                                    : "benign: \(size) names per instance; instances with any DGA finding")
            for set in benignSets {
                let names = heldOutOnly ? set.domains.filter { DGATrainer.fold($0, folds: 3) == 2 } : set.domains
                let groups = chunks(names, size)
                guard !groups.isEmpty else { continue }
                let answered = findings(groups: groups, rcode: "NOERROR", model: model, suffixes: suffixes).filter { !$0.isEmpty }.count
                let label = "\(set.name.padding(toLength: 26, withPad: " ", startingAt: 0)) \(String(format: "%9d", groups.count)) instances: "
                if size == groupSize {
                    print(label + "\(answered) flagged (\(String(format: "%.2f", 100 * Double(answered) / Double(groups.count)))%)")
                } else {
                    let missing = findings(groups: groups, rcode: "NXDOMAIN", model: model, suffixes: suffixes).filter { !$0.isEmpty }.count
                    print(label + "\(answered) with all names answered, \(missing) with all names NXDOMAIN")
                }
            }
        }
    }
}

/// Reads name lists: plain lines, or CSV whose last column is the name; gzip accepted; a header
/// line (`family,domain`, `label,qname`) is skipped.
enum NameFile {
    static func rows(_ path: String) throws -> [[String]] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ValidationError("\(path): cannot read (\(error.localizedDescription))")
        }
        let (text, damage) = GzipInflater.text(of: data)
        if let damage { throw ValidationError("\(path): \(damage)") }
        var rows: [[String]] = []
        for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let columns = trimmed.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if index == 0 && (columns.last == "domain" || columns.last == "qname") { continue }
            rows.append(columns)
        }
        return rows
    }

    /// The names: each row's last column.
    static func names(_ path: String) throws -> [String] {
        try rows(path).compactMap(\.last)
    }

    static func canonical(_ name: String) -> String {
        var text = name.lowercased()
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
