import Foundation
import VigilIntel
import Yams

/// Reads Sigma rule files (YAML, one or more documents each) into compiled rules, collecting
/// every problem with its file, line and construct. A rule with an error is left out; the others
/// load.
struct SigmaRuleReader {
    let file: String
    private(set) var problems: [SigmaProblem] = []
    private(set) var rules: [SigmaRule] = []
    private(set) var correlations: [SigmaCorrelation] = []

    init(file: String) { self.file = file }

    /// Reads `text`, every YAML document of it.
    mutating func read(_ text: String) {
        var documents: [Node] = []
        do {
            var sequence = try Yams.compose_all(yaml: text)
            while let document = sequence.next() { documents.append(document) }
            if let error = sequence.error { throw error }
        } catch {
            problems.append(SigmaProblem(file: file, line: Self.line(of: error), construct: "YAML", "\(Self.message(of: error))"))
            return
        }
        // A document holding only `action: global` etc. (Sigma 1 collections) is not a rule.
        for document in documents {
            do throws(SigmaProblem) {
                guard case .mapping(let map) = document else {
                    throw problem(document, "document", "a rule must be a YAML map")
                }
                if map["action"] != nil {
                    throw problem(map["action"]!, "action", "rule collections (`action: global/reset/repeat`) are Sigma 1's; write each rule in full")
                }
                if map["correlation"] != nil {
                    correlations.append(try readCorrelation(map, document))
                } else {
                    rules.append(try readRule(map, document))
                }
            } catch {
                problems.append(error)
            }
        }
    }

    // MARK: Detection rules

    private mutating func readRule(_ map: Node.Mapping, _ document: Node) throws(SigmaProblem) -> SigmaRule {
        var warnings: [SigmaProblem] = []
        let title = try requiredString(map, "title", document)
        guard let logsource = map["logsource"]?.mapping else {
            throw problem(map["logsource"] ?? document, "logsource", "a rule needs a `logsource` map")
        }
        let product = logsource["product"]?.string?.lowercased(), service = logsource["service"]?.string?.lowercased()
        guard product == "aws", let source = service.flatMap(SigmaLogSource.init(service:)) else {
            throw problem(map["logsource"]!, "logsource",
                          "Vigil reads `product: aws` rules of `service: cloudtrail`, `vpcflowlogs` or `route53resolver` (this says product \(product ?? "none"), service \(service ?? "none"))")
        }
        if let category = logsource["category"]?.string {
            warnings.append(problem(logsource["category"]!, "logsource.category", "`category: \(category)` is not used: every record of the service is read", .warning))
        }
        guard let detectionNode = map["detection"], case .mapping(let detection) = detectionNode else {
            throw problem(map["detection"] ?? document, "detection", "a rule needs a `detection` map")
        }
        var searches: [String: SigmaSearch] = [:]
        var conditionNode: Node?
        for (keyNode, value) in detection {
            guard let key = keyNode.string else { throw problem(keyNode, "detection", "keys must be names") }
            switch key {
            case "condition": conditionNode = value
            case "timeframe":
                throw problem(keyNode, "detection.timeframe", "`timeframe` belongs to Sigma 1 aggregations; write a correlation rule with `timespan`")
            default:
                searches[key] = try readSearch(value, name: key, source: source, warnings: &warnings)
            }
        }
        guard let conditionNode else { throw problem(detectionNode, "detection.condition", "a detection needs a `condition`") }
        let conditionTexts: [String]
        switch conditionNode {
        case .scalar(let s): conditionTexts = [s.string]
        case .sequence(let list): conditionTexts = list.compactMap(\.string)
        default: throw problem(conditionNode, "detection.condition", "must be text")
        }
        guard !conditionTexts.isEmpty else { throw problem(conditionNode, "detection.condition", "is empty") }
        var condition: SigmaCondition?
        for text in conditionTexts {
            do throws(SigmaCondition.ConditionError) {
                let parsed = try SigmaCondition.parse(text, searches: Set(searches.keys))
                condition = condition.map { .or($0, parsed) } ?? parsed
            } catch {
                throw problem(conditionNode, "detection.condition '\(text)'", error.description)
            }
        }
        let levelNode = map["level"]
        var level = SigmaLevel.medium
        if let levelNode {
            guard let text = levelNode.string, let parsed = SigmaLevel(rawValue: text.lowercased()) else {
                throw problem(levelNode, "level", "must be one of \(SigmaLevel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            level = parsed
        } else {
            warnings.append(problem(document, "level", "no level: findings are Medium (5.0)", .warning))
        }
        let filters = map["filter"]
        if let filters {
            throw problem(filters, "filter", "meta filters (`filter:` documents) are not supported; put the filter in the rule's condition")
        }
        let eventNames = source == .cloudTrail ? Self.eventNames(condition!, searches) : nil
        return SigmaRule(
            file: file, line: document.mark?.line, id: map["id"]?.string, name: map["name"]?.string, title: title,
            description: map["description"]?.string, status: map["status"]?.string, author: map["author"]?.string,
            level: level, tags: strings(map["tags"]), references: strings(map["references"]),
            falsePositives: strings(map["falsepositives"]), warnings: warnings, source: source,
            searches: searches, condition: condition!, compiled: CompiledCondition(condition!, names: searches.keys.sorted()),
            ordered: searches.keys.sorted().map { searches[$0]! }, eventNames: eventNames)
    }

    private func strings(_ node: Node?) -> [String] {
        guard let node else { return [] }
        if let s = node.string { return [s] }
        return node.array().compactMap(\.string)
    }

    private func requiredString(_ map: Node.Mapping, _ key: String, _ document: Node) throws(SigmaProblem) -> String {
        guard let node = map[key] else { throw problem(document, key, "a rule needs a `\(key)`") }
        guard let s = node.string, !s.isEmpty else { throw problem(node, key, "must be text") }
        return s
    }

    /// A search: a map of field tests, or a list of such maps.
    private func readSearch(_ node: Node, name: String, source: SigmaLogSource, warnings: inout [SigmaProblem]) throws(SigmaProblem) -> SigmaSearch {
        switch node {
        case .mapping(let map):
            return SigmaSearch(alternatives: [try readFieldTests(map, search: name, source: source, warnings: &warnings)])
        case .sequence(let list):
            var alternatives: [[FieldTest]] = []
            for item in list {
                guard case .mapping(let map) = item else {
                    throw problem(item, "detection.\(name)",
                                  "keyword searches (values without a field name) are not supported; name the field (`eventName: …`, `userAgent|contains: …`)")
                }
                alternatives.append(try readFieldTests(map, search: name, source: source, warnings: &warnings))
            }
            guard !alternatives.isEmpty else { throw problem(node, "detection.\(name)", "an empty list never matches") }
            return SigmaSearch(alternatives: alternatives)
        default:
            throw problem(node, "detection.\(name)", "a search must be a map of fields or a list of maps")
        }
    }

    private func readFieldTests(_ map: Node.Mapping, search: String, source: SigmaLogSource, warnings: inout [SigmaProblem]) throws(SigmaProblem) -> [FieldTest] {
        var tests: [FieldTest] = []
        for (keyNode, value) in map {
            guard let key = keyNode.string else { throw problem(keyNode, "detection.\(search)", "field names must be text") }
            tests.append(try FieldTestCompiler(reader: self, source: source, search: search, keyNode: keyNode, key: key).compile(value, warnings: &warnings))
        }
        // Every test must hold: the cheap ones first (fields the reader extracted before paths
        // inside JSON, plain comparisons before regular expressions), so most events stop early.
        return tests.enumerated().sorted { ($0.element.cost, $0.offset) < ($1.element.cost, $1.offset) }.map(\.element)
    }

    /// The event names a condition can match, from the searches that pin them.
    static func eventNames(_ condition: SigmaCondition, _ searches: [String: SigmaSearch]) -> Set<String>? {
        func of(_ c: SigmaCondition) -> Set<String>? {
            switch c {
            case .search(let name): return searches[name]?.eventNames
            case .not: return nil
            case .and(let a, let b):
                switch (of(a), of(b)) {
                case (nil, nil): return nil
                case (let x?, nil), (nil, let x?): return x
                case (let x?, let y?): return x.intersection(y)
                }
            case .or(let a, let b):
                guard let x = of(a), let y = of(b) else { return nil }
                return x.union(y)
            case .oneOf(let pattern):
                var all: Set<String> = []
                for name in SigmaCondition.names(matching: pattern, in: Set(searches.keys)) {
                    guard let names = searches[name]?.eventNames else { return nil }
                    all.formUnion(names)
                }
                return all
            case .allOf(let pattern):
                var result: Set<String>?
                for name in SigmaCondition.names(matching: pattern, in: Set(searches.keys)) {
                    if let names = searches[name]?.eventNames { result = result.map { $0.intersection(names) } ?? names }
                }
                return result
            }
        }
        return of(condition)
    }

    // MARK: Problems

    func problem(_ node: Node, _ construct: String, _ message: String, _ severity: SigmaProblem.Severity = .error) -> SigmaProblem {
        SigmaProblem(severity, file: file, line: node.mark?.line, construct: construct, message)
    }

    private static func line(of error: any Error) -> Int? {
        if let yaml = error as? YamlError {
            switch yaml {
            case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
            default: return nil
            }
        }
        return nil
    }

    private static func message(of error: any Error) -> String {
        if let yaml = error as? YamlError {
            switch yaml {
            case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
            default: return "\(yaml)"
            }
        }
        return "\(error)"
    }
}

extension SigmaRuleReader {
    /// A correlation rule: `correlation: {type, rules, group-by, timespan, condition}`.
    func readCorrelation(_ map: Node.Mapping, _ document: Node) throws(SigmaProblem) -> SigmaCorrelation {
        var warnings: [SigmaProblem] = []
        guard let titleNode = map["title"], let title = titleNode.string, !title.isEmpty else {
            throw problem(map["title"] ?? document, "title", "a rule needs a `title`")
        }
        guard let correlationNode = map["correlation"], case .mapping(let c) = correlationNode else {
            throw problem(map["correlation"] ?? document, "correlation", "must be a map")
        }
        guard let typeNode = c["type"], let typeText = typeNode.string else {
            throw problem(correlationNode, "correlation.type", "a correlation needs a `type`")
        }
        guard let kind = SigmaCorrelation.Kind(rawValue: typeText) else {
            throw problem(typeNode, "correlation.type", "`\(typeText)` is not one of \(SigmaCorrelation.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let rulesNode = c["rules"] else { throw problem(correlationNode, "correlation.rules", "a correlation needs `rules`") }
        let references = rulesNode.string.map { [$0] } ?? rulesNode.array().compactMap(\.string)
        guard !references.isEmpty else { throw problem(rulesNode, "correlation.rules", "names no rule") }
        if (kind == .temporal || kind == .temporalOrdered) && references.count < 2 {
            throw problem(rulesNode, "correlation.rules", "a \(kind.rawValue) correlation needs two rules or more")
        }
        if let aliases = c["aliases"] {
            throw problem(aliases, "correlation.aliases", "field aliases are not supported: the rules it correlates all read CloudTrail's own field names, so group by those")
        }
        var groupBy: [CloudTrailFieldPath] = []
        if let groupNode = c["group-by"] {
            let names = groupNode.string.map { [$0] } ?? groupNode.array().compactMap(\.string)
            for name in names {
                guard let path = CloudTrailFieldPath.resolve(name) else {
                    throw problem(groupNode, "correlation.group-by", "Vigil does not read the CloudTrail field `\(name)`")
                }
                if case .notInRecords = path {
                    warnings.append(problem(groupNode, "correlation.group-by", "`\(name)` is not a field of CloudTrail records: every match groups under its absence", .warning))
                }
                groupBy.append(path)
            }
        }
        guard let spanNode = c["timespan"] ?? c["timeframe"], let spanText = spanNode.string else {
            throw problem(correlationNode, "correlation.timespan", "a correlation needs a `timespan` (`5m`, `1h`, `1d`)")
        }
        guard let timespan = SigmaCorrelation.timespan(spanText) else {
            throw problem(spanNode, "correlation.timespan", "`\(spanText)` is not a timespan (a number and s, m, h, d, w, M or y; at most a year)")
        }
        var threshold = 1
        var valueField: CloudTrailFieldPath?
        if kind == .eventCount || kind == .valueCount {
            guard let conditionNode = c["condition"], case .mapping(let condition) = conditionNode else {
                throw problem(c["condition"] ?? correlationNode, "correlation.condition", "an \(kind.rawValue) correlation needs a condition map (`gte: 10`)")
            }
            var found = false
            for (keyNode, value) in condition {
                guard let key = keyNode.string else { continue }
                switch key {
                case "gte", "gt":
                    guard let n = value.int, n >= 1, n <= 1_000_000 else {
                        throw problem(value, "correlation.condition.\(key)", "must be a whole number from 1 to 1000000")
                    }
                    threshold = key == "gt" ? n + 1 : n
                    found = true
                case "eq", "lt", "lte", "neq":
                    throw problem(keyNode, "correlation.condition.\(key)",
                                  "only `gte` and `gt` are supported: a count that must stay low can only be judged once its timespan has passed, and Vigil raises findings as events arrive")
                case "field":
                    guard kind == .valueCount, let name = value.string else {
                        throw problem(value, "correlation.condition.field", "`field` belongs to value_count and names one field")
                    }
                    guard let path = CloudTrailFieldPath.resolve(name) else {
                        throw problem(value, "correlation.condition.field", "Vigil does not read the CloudTrail field `\(name)`")
                    }
                    valueField = path
                default:
                    throw problem(keyNode, "correlation.condition.\(key)", "unknown condition")
                }
            }
            guard found else { throw problem(conditionNode, "correlation.condition", "needs `gte` or `gt`") }
            if kind == .valueCount && valueField == nil {
                throw problem(conditionNode, "correlation.condition", "a value_count correlation names the `field` whose values it counts")
            }
        }
        var level = SigmaLevel.medium
        if let levelNode = map["level"] {
            guard let text = levelNode.string, let parsed = SigmaLevel(rawValue: text.lowercased()) else {
                throw problem(levelNode, "level", "must be one of \(SigmaLevel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            level = parsed
        }
        var generate = false
        if let generateNode = c["generate"] {
            guard let value = generateNode.bool else { throw problem(generateNode, "correlation.generate", "must be true or false") }
            generate = value
        }
        func strings(_ node: Node?) -> [String] {
            guard let node else { return [] }
            if let s = node.string { return [s] }
            return node.array().compactMap(\.string)
        }
        return SigmaCorrelation(
            file: file, line: document.mark?.line, id: map["id"]?.string, name: map["name"]?.string, title: title,
            description: map["description"]?.string, author: map["author"]?.string, level: level,
            tags: strings(map["tags"]), references: strings(map["references"]), falsePositives: strings(map["falsepositives"]),
            kind: kind, ruleReferences: references, rulesLine: rulesNode.mark?.line, groupBy: groupBy, timespan: timespan,
            threshold: threshold, valueField: valueField, generate: generate, warnings: warnings)
    }
}
