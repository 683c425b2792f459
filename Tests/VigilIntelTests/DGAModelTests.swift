import Foundation
import Testing
import VigilIntel
import VigilTesting

/// The domain-generation classifier: the shipped model, its storage, its trainer and its quality
/// on names it was not fitted on.
@Suite struct DGAModelTests {
    static let suffixes = PublicSuffixList.load(path: SharedData.path("psl/public_suffix_list_2026-10-22.dat"))!
    static func label(_ name: String) -> String? { suffixes.registrableLabel(of: name) }

    static func names(_ relative: String) throws -> [(String, String)] { try SharedData.nameRows(relative) }

    @Test func shippedModelScoresObviousCases() throws {
        let model = DGAModel.trained
        for benign in ["google", "facebook", "wikipedia", "scorecardresearch", "stackoverflow", "amazon"] {
            let score = try #require(model.score(label: benign))
            #expect(score < model.suspiciousThreshold, "\(benign): \(score)")
        }
        for generated in ["z9jb1g1y2m21zypyylgxmbozu", "exs2oquga1nu68sf", "lxtzzrlnlgohmsh", "purfwlpgtxvyruqs"] {
            let score = try #require(model.score(label: generated))
            #expect(score >= model.alertThreshold, "\(generated): \(score)")
        }
        for generated in ["kryrczixg", "xjlwpfnk"] {
            let score = try #require(model.score(label: generated))
            #expect(score >= model.suspiciousThreshold, "\(generated): \(score)")
        }
        #expect(model.score(label: "t3") == nil)  // too short to judge
        #expect(model.alertThreshold > model.suspiciousThreshold)
    }

    @Test func textFormRoundTrips() throws {
        let model = DGAModel.trained
        let copy = try DGAModel(text: model.text)
        for label in ["google", "kryrczixg", "31b4bd31fg1x2", "my-site-2024"] {
            #expect(copy.score(label: label) == model.score(label: label))
        }
        #expect(throws: DGAModel.FormatError.self) { try DGAModel(text: "vigil-dga-model 2\n") }
        #expect(throws: DGAModel.FormatError.self) { try DGAModel(text: model.text.replacingOccurrences(of: "hidden-biases", with: "x")) }
    }

    @Test func heldOutQuality() throws {
        // Names the shipped model was not fitted on (generated half 1, benign fold 2).
        let generated = try Self.names("dns/dga_domains.csv.gz").filter { DGATrainer.fold($0.1, folds: 2) == 1 }
            .map { DGATrainer.LabelledDomain(family: $0.0, domain: $0.1) }
        let benign = try Self.names("dns/opendns-top-domains.txt").map(\.1).filter { DGATrainer.fold($0, folds: 3) == 2 }
        let evaluation = DGAEvaluation(model: .trained, label: Self.label, generated: generated, benignSets: [("opendns", benign)])
        #expect(evaluation.overall.total > 6000)
        #expect(evaluation.overall.suspiciousRate >= 0.65, "\(evaluation.overall)")
        #expect(evaluation.overall.alertRate >= 0.55, "\(evaluation.overall)")
        #expect(evaluation.benign[0].alertRate <= 0.015, "\(evaluation.benign[0])")
        // Families whose names are long random strings are caught nearly always.
        for family in ["newgoz", "chinad", "monerodownloader", "tufik", "banjori"] {
            let rate = try #require(evaluation.families.first { $0.name == family })
            #expect(rate.alertRate >= 0.9, "\(family): \(rate.alertRate)")
        }
    }

    @Test func trainerSeparatesWhatItIsGiven() throws {
        let generated = try Self.names("dns/dga_domains.csv.gz").map { DGATrainer.LabelledDomain(family: $0.0, domain: $0.1) }
        let benign = try Self.names("dns/opendns-top-domains.txt").map(\.1)
        var options = DGATrainer.Options()
        options.iterations = 150
        options.hiddenUnits = 4
        let model = DGATrainer(options: options, label: Self.label).train(words: [], benign: benign, generated: generated)
        let heldGenerated = generated.filter { DGATrainer.fold($0.domain, folds: 2) == 1 }.prefix(2000)
        let heldBenign = benign.filter { DGATrainer.fold($0, folds: 3) == 2 }
        func mean(_ names: [String]) -> Float {
            let scores = names.compactMap { Self.label($0).flatMap { model.score(label: $0) } }
            return scores.reduce(0, +) / Float(max(scores.count, 1))
        }
        let g = mean(heldGenerated.map(\.domain)), b = mean(heldBenign)
        #expect(g > b + 0.3, "generated \(g), benign \(b)")
        #expect(DGATrainer.fold("Example.COM.", folds: 3) == DGATrainer.fold("example.com", folds: 3))
    }
}
