import Testing
@testable import VigilRules

@Suite struct SigmaConditionTests {
    let searches: Set<String> = ["selection", "selection_a", "selection_b", "filter_main_x", "filter_main_y", "filter"]

    @Test func precedenceIsNotThenAndThenOr() throws {
        let c = try SigmaCondition.parse("selection or selection_a and not filter", searches: searches)
        #expect(c == .or(.search("selection"), .and(.search("selection_a"), .not(.search("filter")))))
    }

    @Test func parenthesesAndQuantifiers() throws {
        let c = try SigmaCondition.parse("(selection or selection_a) and not 1 of filter_main_* and all of them", searches: searches)
        #expect(c == .and(.and(.or(.search("selection"), .search("selection_a")), .not(.oneOf(pattern: "filter_main_*"))), .allOf(pattern: "them")))
        #expect(SigmaCondition.names(matching: "filter_main_*", in: searches) == ["filter_main_x", "filter_main_y"])
        #expect(SigmaCondition.names(matching: "them", in: searches).count == searches.count)
    }

    @Test(arguments: [
        ("selection and", "ends"),
        ("selection |count() > 5", "correlation"),
        ("nothere", "not a search"),
        ("1 of nothing_*", "matches no search"),
        ("(selection", "not closed"),
        ("2 of selection_*", "only '1 of'"),
        ("selection ; drop", "unexpected character"),
    ])
    func badConditionsAreExplained(text: String, expected: String) {
        #expect {
            _ = try SigmaCondition.parse(text, searches: searches)
        } throws: { error in
            "\(error)".contains(expected)
        }
    }
}
