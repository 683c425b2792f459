import Testing
@testable import VigilRules

@Suite struct RegexPrefilterTests {
    @Test(arguments: [
        (".+:assumed-role/aws:.+", ":assumed-role/aws:"),
        ("^arn:aws:iam::\\d{12}:root$", "arn:aws:iam::"),
        ("\"Action\"\\s*:\\s*\"\\*\"", "\"Action\""),
        ("abcd?ef", "abc"),
        ("xyz(abcdef)?", "xyz"),
        ("ab+cdef", "cdef"),
    ])
    func requiredLiterals(pattern: String, literal: String) {
        #expect(RegexPrefilter.requiredLiteral(pattern) == literal)
    }

    @Test(arguments: ["cat|dog", "(?i)KALI", "(?<=x)abc", "a.b.c", "[abc]+", "\\d+\\w+"])
    func noPrefilterWhenNothingIsSurelyThere(pattern: String) {
        #expect(RegexPrefilter.requiredLiteral(pattern) == nil)
    }

    @Test func thePrefilterNeverChangesTheAnswer() throws {
        let values = ["arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1", "arn:aws:sts::1:assumed-role/web/i-1", "", ":assumed-role/aws:",
                      "x:ASSUMED-ROLE/AWS:y"]
        for (pattern, caseless) in [(".+:assumed-role/aws:.+", false), (".+:assumed-role/aws:.+", true), ("(?i)assumed-role/AWS", false)] {
            let regex = try SigmaRegex(pattern, ignoringCase: caseless, multiline: false, dotAll: false)
            let plain = try Regex(pattern)
            for value in values {
                let expected = (try? (caseless ? plain.ignoresCase() : plain).firstMatch(in: value)) != nil
                var copy = value
                let got = copy.withUTF8 { regex.matches(UnsafeRawBufferPointer($0)) }
                #expect(got == expected, "\(pattern) on \(value)")
            }
        }
    }
}
