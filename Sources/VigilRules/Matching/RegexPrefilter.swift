/// A literal every match of a regular expression must contain, found by reading the pattern:
/// checked with a byte search before the regular expression runs, so most values are turned away
/// without it (Swift's regular expressions cost microseconds a value; a byte search, nanoseconds).
///
/// Conservative: patterns with alternation (`|`) or anything it does not understand give no
/// prefilter, and the regular expression alone decides.
enum RegexPrefilter {
    /// The longest run of literal characters the pattern requires (at least three), or `nil`.
    static func requiredLiteral(_ pattern: String) -> String? {
        let chars = Array(pattern)
        // Alternation, inline flags (`(?i)`), look-arounds: no prefilter.
        if chars.contains("|") || pattern.contains("(?") { return nil }
        var best = "", run = ""
        var i = 0
        var depth = 0
        func close() {
            if depth == 0, run.count > best.count { best = run }
            run = ""
        }
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "\\":
                guard i + 1 < chars.count else { return nil }
                let next = chars[i + 1]
                if next.isLetter || next.isNumber {
                    // A class (`\d`, `\w`, `\s`, …) or a back-reference: not a literal.
                    close()
                } else {
                    run.append(next)
                }
                i += 2
                continue
            case "*", "?":
                // The character before is optional.
                if !run.isEmpty { run.removeLast() }
                close()
            case "{":
                // A counted repetition may allow none.
                if !run.isEmpty { run.removeLast() }
                close()
                while i < chars.count && chars[i] != "}" { i += 1 }
            case "+":
                close()
            case "(":
                close()
                depth += 1
            case ")":
                close()
                depth = max(0, depth - 1)
            case "[":
                close()
                while i < chars.count && chars[i] != "]" { i += chars[i] == "\\" ? 2 : 1 }
            case ".", "^", "$":
                close()
            default:
                if depth == 0 { run.append(c) } else { close() }
            }
            i += 1
        }
        close()
        return best.count >= 3 ? best : nil
    }
}
