import Foundation
import VigilDetection
import VigilLogs

/// A rule's detection flattened into plain values in fixed storage: the condition as nodes that
/// name each other by index, each search as a run of alternatives, each alternative as a run of
/// tests, and the common test — literal comparisons (equal, prefix, suffix, contains) and `exists`
/// on a field the CloudTrail reader extracts — as byte runs in one buffer. Evaluating it copies
/// no value and counts no reference, which per event and rule was most of what walking the tree of
/// ``CompiledCondition``, ``SigmaSearch`` and ``FieldTest`` cost.
///
/// Tests it does not flatten (wildcards, networks, numbers, field references, paths inside JSON,
/// and every test of flow and DNS rules) run as their ``FieldTest``, reached without retaining it;
/// so do regular expressions, but on an extracted field only once their literal is found. A test checks that the program answers as the rule's condition reads, over the
/// searches that hold, for every rule and corpus record.
final class RuleProgram: @unchecked Sendable {
    /// A condition node: `search` (`a` the search, -1 for none), `not` (`a`), `and`/`or` (`a`, `b`),
    /// `anyOf`/`allOf` (`b` searches from `a` in ``members``).
    struct Node {
        enum Kind: UInt8 { case search, not, and, or, anyOf, allOf }
        let kind: Kind
        let a: Int32
        let b: Int32
    }

    /// A run of `count` entries from `start`.
    struct Span {
        let start: Int32
        let count: Int32
    }

    /// One field test.
    struct Test {
        enum Kind: UInt8 {
            /// Literal comparisons of a CloudTrail field: ``literals`` from `literals.start`.
            case literals
            /// Whether a CloudTrail field is present (`exists: true`) or absent.
            case exists
            /// A ``FieldTest`` of ``general`` at `general`.
            case general
            /// Regular expressions on a CloudTrail field: their prefilters (``literals``) first —
            /// any (`all`: every) must hold — then the ``FieldTest`` at `general`.
            case screened
        }
        let kind: Kind
        let field: CloudTrailField
        let literals: Span
        let general: Int32
        let requiresAll: Bool
        let matchesAbsent: Bool
        let wanted: Bool
    }

    /// A literal comparison of `count` bytes from `start` in ``bytes`` (lower-cased when `ignoringCase`).
    struct Literal {
        let kind: BytePattern.MatchKind
        let ignoringCase: Bool
        let start: Int32
        let count: Int32
    }

    private let nodes: UnsafeMutableBufferPointer<Node>
    private let root: Int32
    private let members: UnsafeMutableBufferPointer<Int32>
    /// Each search's alternatives (in ``alternatives``).
    private let searches: UnsafeMutableBufferPointer<Span>
    /// Each alternative's tests (in ``tests``).
    private let alternatives: UnsafeMutableBufferPointer<Span>
    private let tests: UnsafeMutableBufferPointer<Test>
    private let literals: UnsafeMutableBufferPointer<Literal>
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    /// The tests left as they are, kept alive by ``generalTests`` and reached through ``general``.
    private let general: UnmanagedRun<FieldTest>
    private let generalTests: [FieldTest]

    /// The program of `rule`.
    convenience init(_ rule: SigmaRule) {
        self.init(condition: rule.compiled, searches: rule.ordered, cloudTrail: rule.source == .cloudTrail)
    }

    /// Flattens `condition` over `searches`; literal tests are flattened only for CloudTrail rules.
    init(condition: CompiledCondition, searches ordered: [SigmaSearch], cloudTrail: Bool) {
        var nodes: [Node] = []
        var members: [Int32] = []
        func add(_ c: CompiledCondition) -> Int32 {
            let node: Node
            switch c {
            case .search(let i): node = Node(kind: .search, a: Int32(i), b: 0)
            case .not(let inner): node = Node(kind: .not, a: add(inner), b: 0)
            case .and(let x, let y): let a = add(x), b = add(y); node = Node(kind: .and, a: a, b: b)
            case .or(let x, let y): let a = add(x), b = add(y); node = Node(kind: .or, a: a, b: b)
            case .oneOf(let indices), .allOf(let indices):
                let start = Int32(members.count)
                members += indices.map(Int32.init)
                let isAll: Bool
                if case .allOf = c { isAll = true } else { isAll = false }
                node = Node(kind: isAll ? .allOf : .anyOf, a: start, b: Int32(indices.count))
            }
            nodes.append(node)
            return Int32(nodes.count - 1)
        }
        root = add(condition)

        var searchSpans: [Span] = [], alternativeSpans: [Span] = [], testList: [Test] = []
        var literalList: [Literal] = [], byteList: [UInt8] = [], generalList: [FieldTest] = []
        for search in ordered {
            searchSpans.append(Span(start: Int32(alternativeSpans.count), count: Int32(search.alternatives.count)))
            for alternative in search.alternatives {
                alternativeSpans.append(Span(start: Int32(testList.count), count: Int32(alternative.count)))
                for test in alternative {
                    if cloudTrail, let flat = Self.flatten(test, literals: &literalList, bytes: &byteList) {
                        testList.append(flat)
                    } else if cloudTrail, let screen = Self.screen(test, general: Int32(generalList.count), literals: &literalList, bytes: &byteList) {
                        testList.append(screen)
                        generalList.append(test)
                    } else {
                        testList.append(Test(kind: .general, field: .eventVersion, literals: Span(start: 0, count: 0), general: Int32(generalList.count),
                                             requiresAll: false, matchesAbsent: false, wanted: false))
                        generalList.append(test)
                    }
                }
            }
        }
        func store<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
            let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(values.count, 1))
            _ = buffer.initialize(from: values)
            return UnsafeMutableBufferPointer(rebasing: buffer[0..<values.count])
        }
        self.nodes = store(nodes)
        self.members = store(members)
        self.searches = store(searchSpans)
        self.alternatives = store(alternativeSpans)
        self.tests = store(testList)
        self.literals = store(literalList)
        self.bytes = store(byteList)
        self.generalTests = generalList
        self.general = UnmanagedRun(generalList)
    }

    deinit {
        for buffer in [UnsafeMutableRawPointer(nodes.baseAddress), UnsafeMutableRawPointer(members.baseAddress),
                       UnsafeMutableRawPointer(searches.baseAddress), UnsafeMutableRawPointer(alternatives.baseAddress),
                       UnsafeMutableRawPointer(tests.baseAddress), UnsafeMutableRawPointer(literals.baseAddress),
                       UnsafeMutableRawPointer(bytes.baseAddress)] {
            buffer?.deallocate()
        }
        general.deallocate()
    }

    /// Adds literal comparisons (kind, without case, bytes) to the tables; returns where they are.
    private static func append(_ parts: [(BytePattern.MatchKind, Bool, [UInt8])], to literals: inout [Literal], bytes: inout [UInt8]) -> Span {
        let span = Span(start: Int32(literals.count), count: Int32(parts.count))
        for (kind, ignoringCase, value) in parts {
            literals.append(Literal(kind: kind, ignoringCase: ignoringCase, start: Int32(bytes.count), count: Int32(value.count)))
            bytes += value
        }
        return span
    }

    /// A test as plain values, when it is literal comparisons or `exists` on an extracted field.
    private static func flatten(_ test: FieldTest, literals: inout [Literal], bytes: inout [UInt8]) -> Test? {
        guard case .cloudTrail(.field(let field)) = test.path else { return nil }
        switch test.values {
        case .exists(let wanted):
            return Test(kind: .exists, field: field, literals: Span(start: 0, count: 0), general: 0,
                        requiresAll: false, matchesAbsent: false, wanted: wanted)
        case .patterns(let patterns):
            var parts: [(BytePattern.MatchKind, Bool, [UInt8])] = []
            for pattern in patterns {
                guard let (kind, value) = pattern.literal else { return nil }
                parts.append((kind, pattern.ignoringCase, value))
            }
            let span = append(parts, to: &literals, bytes: &bytes)
            return Test(kind: .literals, field: field, literals: span, general: 0,
                        requiresAll: test.requiresAll, matchesAbsent: test.matchesAbsent, wanted: false)
        default:
            return nil
        }
    }

    /// A regular-expression test on an extracted field whose every expression has a prefilter:
    /// the prefilters as literal `contains` tests before it.
    private static func screen(_ test: FieldTest, general: Int32, literals: inout [Literal], bytes: inout [UInt8]) -> Test? {
        guard case .cloudTrail(.field(let field)) = test.path, case .regexes(let regexes) = test.values, !regexes.isEmpty else { return nil }
        var parts: [(BytePattern.MatchKind, Bool, [UInt8])] = []
        for regex in regexes {
            guard let prefilter = regex.prefilter, let (kind, value) = prefilter.literal, kind == .contains else { return nil }
            parts.append((kind, prefilter.ignoringCase, value))
        }
        let span = append(parts, to: &literals, bytes: &bytes)
        return Test(kind: .screened, field: field, literals: span, general: general,
                    requiresAll: test.requiresAll, matchesAbsent: false, wanted: false)
    }

    /// Whether the record matches: `event` is the CloudTrail event `view` reads (literal tests read
    /// it directly), `nil` for other records (whose programs hold no literal tests).
    @inline(__always)
    func matches<View: SigmaRecordView>(_ view: View, event: CloudTrailEvent?) -> Bool {
        evaluate(root, view, event)
    }

    private func evaluate<View: SigmaRecordView>(_ index: Int32, _ view: View, _ event: CloudTrailEvent?) -> Bool {
        let node = nodes[Int(index)]
        switch node.kind {
        case .search: return node.a >= 0 && search(node.a, view, event)
        case .not: return !evaluate(node.a, view, event)
        case .and: return evaluate(node.a, view, event) && evaluate(node.b, view, event)
        case .or: return evaluate(node.a, view, event) || evaluate(node.b, view, event)
        case .anyOf:
            for k in 0..<Int(node.b) where search(members[Int(node.a) + k], view, event) { return true }
            return false
        case .allOf:
            for k in 0..<Int(node.b) where !search(members[Int(node.a) + k], view, event) { return false }
            return true
        }
    }

    private func search<View: SigmaRecordView>(_ index: Int32, _ view: View, _ event: CloudTrailEvent?) -> Bool {
        let span = searches[Int(index)]
        for a in Int(span.start)..<Int(span.start + span.count) {
            let run = alternatives[a]
            var all = true
            for t in Int(run.start)..<Int(run.start + run.count) where !test(tests[t], view, event) {
                all = false
                break
            }
            if all { return true }
        }
        return false
    }

    @inline(__always)
    private func test<View: SigmaRecordView>(_ test: Test, _ view: View, _ event: CloudTrailEvent?) -> Bool {
        switch test.kind {
        case .general:
            return general.with(Int(test.general)) { $0.matches(view) }
        case .screened:
            let text = event![test.field]
            guard text.isPresent else { return false }
            let first = Int(test.literals.start), end = first + Int(test.literals.count)
            var passed = test.requiresAll
            for l in first..<end where matches(literals[l], text.bytes) != test.requiresAll {
                passed = !test.requiresAll
                break
            }
            return passed && general.with(Int(test.general)) { $0.matches(view) }
        case .exists:
            return event![test.field].isPresent == test.wanted
        case .literals:
            let text = event![test.field]
            let first = Int(test.literals.start), end = first + Int(test.literals.count)
            // As ``FieldTest/matches(_:)``: no values matches only an absent field that may be absent.
            guard first < end else { return test.matchesAbsent && !text.isPresent }
            guard text.isPresent else { return !test.requiresAll && test.matchesAbsent }
            let value = text.bytes
            if test.requiresAll {
                for l in first..<end where !matches(literals[l], value) { return false }
                return true
            }
            for l in first..<end where matches(literals[l], value) { return true }
            return false
        }
    }

    @inline(__always)
    private func matches(_ literal: Literal, _ text: UnsafeRawBufferPointer) -> Bool {
        let pattern = UnsafeRawBufferPointer(start: bytes.baseAddress! + Int(literal.start), count: Int(literal.count))
        return BytePattern.matches(literal.kind, pattern, ignoringCase: literal.ignoringCase, in: text)
    }
}
