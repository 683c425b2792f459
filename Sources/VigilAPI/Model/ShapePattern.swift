import Foundation

/// A shape's `pattern`, compiled once; a string satisfies it when the whole string matches (the
/// model's patterns describe whole values: `TagKey`'s `(?!aws:)…` must refuse `aws:x`, which an
/// unanchored search would accept from its second character).
final class ShapePattern: Sendable {
    private let expression: NSRegularExpression?

    init(_ pattern: String) {
        expression = try? NSRegularExpression(pattern: "^(?:\(pattern))$", options: [])
    }

    func matches(_ text: String) -> Bool {
        guard let expression else { return true }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return expression.firstMatch(in: text, options: [], range: range) != nil
    }
}
