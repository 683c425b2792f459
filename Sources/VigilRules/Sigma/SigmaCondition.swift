/// A rule's `condition`, parsed: how its named searches combine.
public indirect enum SigmaCondition: Sendable, Equatable {
    case search(String)
    case not(SigmaCondition)
    case and(SigmaCondition, SigmaCondition)
    case or(SigmaCondition, SigmaCondition)
    /// `1 of PATTERN` / `any of`: at least one search whose name matches; `them`: every search.
    case oneOf(pattern: String)
    /// `all of PATTERN`.
    case allOf(pattern: String)

    /// Parses a condition; `searches` are the detection's names, against which names and patterns
    /// are checked (a name that is not a search, or a pattern that matches none, is an error).
    public static func parse(_ text: String, searches: Set<String>) throws(ConditionError) -> SigmaCondition {
        var parser = Parser(tokens: try tokenize(text), searches: searches)
        let condition = try parser.orExpression()
        if let extra = parser.peek {
            if extra == "|" {
                throw ConditionError("aggregation expressions (`| count() …`) are Sigma 1's; write a correlation rule (`correlation: type: event_count`) instead")
            }
            throw ConditionError("unexpected '\(extra)'")
        }
        return condition
    }

    /// The names of the searches a pattern (`selection_*`, `them`) stands for.
    static func names(matching pattern: String, in searches: Set<String>) -> [String] {
        if pattern == "them" { return searches.filter { !$0.hasPrefix("_") }.sorted() }
        let compiled = WildcardPattern(pattern)
        return searches.filter { compiled.matches($0, ignoringCase: false) }.sorted()
    }

    public struct ConditionError: Error, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    private static func tokenize(_ text: String) throws(ConditionError) -> [String] {
        var tokens: [String] = []
        var current = ""
        for c in text {
            if c == "|" {
                // A Sigma 1 aggregation follows; the parser reports it.
                if !current.isEmpty { tokens.append(current) }
                tokens.append("|")
                return tokens
            }
            if c == "(" || c == ")" {
                if !current.isEmpty { tokens.append(current); current = "" }
                tokens.append(String(c))
            } else if c.isWhitespace {
                if !current.isEmpty { tokens.append(current); current = "" }
            } else if c.isLetter || c.isNumber || c == "_" || c == "*" || c == "?" || c == "-" || c == "." {
                current.append(c)
            } else {
                throw ConditionError("unexpected character '\(c)'")
            }
        }
        if !current.isEmpty { tokens.append(current) }
        if tokens.isEmpty { throw ConditionError("the condition is empty") }
        return tokens
    }

    private struct Parser {
        let tokens: [String]
        let searches: Set<String>
        var position = 0
        var depth = 0

        init(tokens: [String], searches: Set<String>) {
            self.tokens = tokens
            self.searches = searches
        }

        var peek: String? { position < tokens.count ? tokens[position] : nil }

        mutating func next() -> String? {
            defer { position += 1 }
            return peek
        }

        mutating func orExpression() throws(ConditionError) -> SigmaCondition {
            var left = try andExpression()
            while peek?.lowercased() == "or" {
                position += 1
                left = .or(left, try andExpression())
            }
            return left
        }

        mutating func andExpression() throws(ConditionError) -> SigmaCondition {
            var left = try notExpression()
            while peek?.lowercased() == "and" {
                position += 1
                left = .and(left, try notExpression())
            }
            return left
        }

        mutating func notExpression() throws(ConditionError) -> SigmaCondition {
            if peek?.lowercased() == "not" {
                position += 1
                return .not(try notExpression())
            }
            return try primary()
        }

        mutating func primary() throws(ConditionError) -> SigmaCondition {
            guard let token = next() else { throw ConditionError("the condition ends where a search name was expected") }
            switch token.lowercased() {
            case "(":
                depth += 1
                guard depth <= 64 else { throw ConditionError("parentheses nest deeper than 64") }
                let inner = try orExpression()
                guard next() == ")" else { throw ConditionError("a '(' is not closed") }
                depth -= 1
                return inner
            case ")", "and", "or", "|", "of":
                throw ConditionError("unexpected '\(token)' where a search name was expected")
            case "1", "any", "all":
                guard peek?.lowercased() == "of" else {
                    if searches.contains(token) { return .search(token) }
                    throw ConditionError("'\(token)' must be followed by 'of'")
                }
                position += 1
                guard let pattern = next(), pattern != "(", pattern != ")" else {
                    throw ConditionError("'\(token) of' must be followed by a search name pattern or 'them'")
                }
                if SigmaCondition.names(matching: pattern, in: searches).isEmpty {
                    throw ConditionError("'\(pattern)' matches no search of the detection")
                }
                return token.lowercased() == "all" ? .allOf(pattern: pattern) : .oneOf(pattern: pattern)
            default:
                if token.allSatisfy(\.isNumber) {
                    throw ConditionError("'\(token) of' is not Sigma: only '1 of', 'any of' and 'all of'")
                }
                guard searches.contains(token) else { throw ConditionError("'\(token)' is not a search of the detection") }
                return .search(token)
            }
        }
    }
}
