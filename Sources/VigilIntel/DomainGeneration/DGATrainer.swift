import Foundation
import VigilModel

/// Fits a ``DGAModel`` from labelled names, and measures one.
///
/// The material is split by a stable hash of each name so that nothing is measured on what it was
/// fitted on: benign domains fall in three folds — the trigram model learns from fold 0 (with a
/// word list), the network and its thresholds are fitted on fold 1, fold 2 is held out —
/// and generated domains in two (fitted on half 0, half 1 held out).
public struct DGATrainer {
    public struct Options: Sendable {
        public var hiddenUnits = 16
        public var iterations = 5000
        public var learningRate: Float = 0.03
        /// How much a benign example weighs against a generated one, after balancing the classes:
        /// above 1 trades detection for fewer false positives.
        public var benignWeight: Float = 3
        /// Weight of a benign domain against a dictionary word in the trigram model.
        public var domainWeightInTrigrams: Double = 3
        /// Share of fitted benign names allowed above the alert and the suspicious threshold.
        public var alertFalsePositiveRate: Double = 0.001
        public var suspiciousFalsePositiveRate: Double = 0.01
        public var minimumLength = 6
        public var seed: UInt64 = 1
        public init() {}
    }

    /// One generated domain and its family.
    public struct LabelledDomain: Sendable {
        public var family: String
        public var domain: String
        public init(family: String, domain: String) {
            self.family = family
            self.domain = domain
        }
    }

    public let options: Options
    /// The registrable label of a domain (`kryrczixg` for `www.kryrczixg.com`), or `nil`.
    public let label: (String) -> String?

    public init(options: Options = Options(), label: @escaping (String) -> String?) {
        self.options = options
        self.label = label
    }

    /// Which fold a name belongs to (`0..<folds`): a stable hash of its lower-case form without a trailing dot.
    public static func fold(_ name: String, folds: UInt64) -> Int {
        var text = name.lowercased()
        while text.hasSuffix(".") { text.removeLast() }
        var hash = ByteHash()
        for b in text.utf8 { hash.add(b) }
        return Int(hash.mixed % folds)
    }

    /// Fits a model: the trigram table from `words` and benign fold 0, the network on benign fold 1
    /// against generated half 0.
    public func train(words: [String], benign: [String], generated: [LabelledDomain]) -> DGAModel {
        var counter = TrigramTable.Counter()
        for word in words { counter.add(word.utf8) }
        for domain in benign where Self.fold(domain, folds: 3) == 0 {
            if let l = label(domain) { counter.add(l.utf8, weight: options.domainWeightInTrigrams) }
        }
        let table = counter.table()
        let positives = features(generated.filter { Self.fold($0.domain, folds: 2) == 0 }.map(\.domain), table)
        let fitBenign = benign.filter { Self.fold($0, folds: 3) == 1 }
        let negatives = features(fitBenign, table)
        precondition(!positives.isEmpty && !negatives.isEmpty, "training needs generated and benign names")
        var network = Network(inputs: DomainLabelFeatures.count, hidden: options.hiddenUnits, seed: options.seed)
        let rows = positives + negatives
        let targets = [Float](repeating: 1, count: positives.count) + [Float](repeating: 0, count: negatives.count)
        let benignWeight = options.benignWeight * Float(positives.count) / Float(negatives.count)
        let weights = [Float](repeating: 1, count: positives.count) + [Float](repeating: benignWeight, count: negatives.count)
        network.fit(rows: rows, targets: targets, weights: weights, iterations: options.iterations, learningRate: options.learningRate)
        let draft = network.model(trigrams: table, alert: 1, suspicious: 1, minimumLength: options.minimumLength)
        // Thresholds: quantiles of the fitted benign names' scores (too-short names score 0).
        var scores = fitBenign.map { name in label(name).flatMap { draft.score(label: $0) } ?? 0 }.sorted()
        if scores.isEmpty { scores = [0.5] }
        func quantile(_ rate: Double) -> Float {
            scores[min(scores.count - 1, Int((Double(scores.count) * (1 - rate)).rounded(.down)))]
        }
        return network.model(trigrams: table, alert: max(quantile(options.alertFalsePositiveRate), 0.5),
                             suspicious: max(quantile(options.suspiciousFalsePositiveRate), 0.2), minimumLength: options.minimumLength)
    }

    private func features(_ domains: [String], _ table: TrigramTable) -> [[Float]] {
        domains.compactMap { domain in
            guard var l = label(domain) else { return nil }
            return l.withUTF8 { DomainLabelFeatures.compute(label: UnsafeRawBufferPointer($0), trigrams: table, minimumLength: options.minimumLength)?.array }
        }
    }

    /// A small fully connected network trained with Adam on weighted logistic loss.
    struct Network {
        let inputs: Int
        let hidden: Int
        var w1: [Float]
        var b1: [Float]
        var w2: [Float]
        var b2: Float = 0
        var mean: [Float]
        var scale: [Float]

        init(inputs: Int, hidden: Int, seed: UInt64) {
            self.inputs = inputs
            self.hidden = hidden
            var state = seed
            func gaussian() -> Float {
                func next() -> Double {
                    state &+= 0x9E37_79B9_7F4A_7C15
                    var z = state
                    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                    return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
                }
                return Float(sqrt(-2 * log(max(next(), 1e-12))) * cos(2 * Double.pi * next()))
            }
            w1 = (0..<(inputs * hidden)).map { _ in 0.3 * gaussian() }
            b1 = [Float](repeating: 0, count: hidden)
            w2 = (0..<hidden).map { _ in 0.3 * gaussian() }
            mean = [Float](repeating: 0, count: inputs)
            scale = [Float](repeating: 1, count: inputs)
        }

        mutating func fit(rows: [[Float]], targets: [Float], weights: [Float], iterations: Int, learningRate: Float) {
            let n = rows.count
            for i in 0..<inputs {
                let m = rows.reduce(0) { $0 + $1[i] } / Float(n)
                let v = rows.reduce(0) { $0 + ($1[i] - m) * ($1[i] - m) } / Float(n)
                mean[i] = m
                scale[i] = sqrt(v) + 1e-6
            }
            let x = rows.map { row in (0..<inputs).map { (row[$0] - mean[$0]) / scale[$0] } }
            var adam = Adam(sizes: [w1.count, b1.count, w2.count, 1])
            var activations = [Float](repeating: 0, count: hidden)
            for _ in 0..<iterations {
                var g1 = [Float](repeating: 0, count: w1.count), gb1 = [Float](repeating: 0, count: hidden)
                var g2 = [Float](repeating: 0, count: hidden), gb2: Float = 0
                for r in 0..<n {
                    let row = x[r]
                    var z = b2
                    for h in 0..<hidden {
                        var a = b1[h]
                        for i in 0..<inputs { a += w1[h * inputs + i] * row[i] }
                        activations[h] = tanh(a)
                        z += w2[h] * activations[h]
                    }
                    let p = 1 / (1 + exp(-z))
                    let g = (p - targets[r]) * weights[r] / Float(n)
                    gb2 += g
                    for h in 0..<hidden {
                        g2[h] += g * activations[h]
                        let d = g * w2[h] * (1 - activations[h] * activations[h])
                        gb1[h] += d
                        for i in 0..<inputs { g1[h * inputs + i] += d * row[i] }
                    }
                }
                for i in 0..<w1.count { g1[i] += 1e-4 * w1[i] }
                for h in 0..<hidden { g2[h] += 1e-4 * w2[h] }
                adam.step(&w1, g1, slot: 0, rate: learningRate)
                adam.step(&b1, gb1, slot: 1, rate: learningRate)
                adam.step(&w2, g2, slot: 2, rate: learningRate)
                var bias = [b2]
                adam.step(&bias, [gb2], slot: 3, rate: learningRate)
                b2 = bias[0]
            }
        }

        func model(trigrams: TrigramTable, alert: Float, suspicious: Float, minimumLength: Int) -> DGAModel {
            DGAModel(trigrams: trigrams, mean: mean, scale: scale, hiddenWeights: w1, hiddenBiases: b1, outputWeights: w2,
                     outputBias: b2, alertThreshold: alert, suspiciousThreshold: suspicious, minimumLength: minimumLength)
        }
    }

    struct Adam {
        var m: [[Float]]
        var v: [[Float]]
        init(sizes: [Int]) {
            m = sizes.map { [Float](repeating: 0, count: $0) }
            v = m
        }
        mutating func step(_ parameters: inout [Float], _ gradient: [Float], slot: Int, rate: Float) {
            for i in 0..<parameters.count {
                m[slot][i] = 0.9 * m[slot][i] + 0.1 * gradient[i]
                v[slot][i] = 0.999 * v[slot][i] + 0.001 * gradient[i] * gradient[i]
                parameters[i] -= rate * m[slot][i] / (v[slot][i].squareRoot() + 1e-8)
            }
        }
    }
}

/// How well a ``DGAModel`` separates generated from benign names, on held-out material.
public struct DGAEvaluation: Sendable {
    public struct Rate: Sendable {
        public var name: String
        public var total: Int
        /// Names at or above the alert threshold, and at or above the suspicious one.
        public var alerts: Int
        public var suspicious: Int
        public var alertRate: Double { total == 0 ? 0 : Double(alerts) / Double(total) }
        public var suspiciousRate: Double { total == 0 ? 0 : Double(suspicious) / Double(total) }
    }

    /// Detection per family (generated names), and false positives per benign set.
    public var families: [Rate] = []
    public var benign: [Rate] = []
    /// Benign names at or above the alert threshold (at most 50 per set), for review.
    public var flaggedBenign: [String: [String]] = [:]

    public init(model: DGAModel, label: (String) -> String?, generated: [DGATrainer.LabelledDomain],
                benignSets: [(name: String, domains: [String])]) {
        func score(_ domain: String) -> Float { label(domain).flatMap { model.score(label: $0) } ?? 0 }
        var byFamily: [String: Rate] = [:]
        for item in generated {
            let s = score(item.domain)
            var rate = byFamily[item.family] ?? Rate(name: item.family, total: 0, alerts: 0, suspicious: 0)
            rate.total += 1
            if s >= model.alertThreshold { rate.alerts += 1 }
            if s >= model.suspiciousThreshold { rate.suspicious += 1 }
            byFamily[item.family] = rate
        }
        families = byFamily.values.sorted { $0.total != $1.total ? $0.total > $1.total : $0.name < $1.name }
        for set in benignSets {
            var rate = Rate(name: set.name, total: 0, alerts: 0, suspicious: 0)
            var flagged: [String] = []
            for domain in set.domains {
                let s = score(domain)
                rate.total += 1
                if s >= model.alertThreshold {
                    rate.alerts += 1
                    if flagged.count < 50 { flagged.append(domain) }
                }
                if s >= model.suspiciousThreshold { rate.suspicious += 1 }
            }
            benign.append(rate)
            flaggedBenign[set.name] = flagged
        }
    }

    /// All families together.
    public var overall: Rate {
        families.reduce(Rate(name: "all", total: 0, alerts: 0, suspicious: 0)) {
            Rate(name: "all", total: $0.total + $1.total, alerts: $0.alerts + $1.alerts, suspicious: $0.suspicious + $1.suspicious)
        }
    }
}
