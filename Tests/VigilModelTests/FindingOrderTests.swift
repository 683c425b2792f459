import Testing
import VigilModel

@Suite struct FindingOrderTests {
    /// The in-place permutation gives what sorting the findings themselves gives, for every size
    /// up to 40 and many shuffles (ties in severity and type included).
    @Test func ordersAsSortingTheValuesDoes() {
        var generator = SystemRandomNumberGenerator()
        let types = ["Recon:EC2/Portscan", "UnauthorizedAccess:IAMUser/ConsoleLogin", "Discovery:S3/TorIPCaller"]
        for size in 0...40 {
            for _ in 0..<5 {
                let findings = (0..<size).map { index in
                    var finding = FindingCodingTests.sample
                    finding.id = "f\(Int.random(in: 0..<1000, using: &generator))-\(index)"
                    finding.severity = [2.0, 5.0, 8.0].randomElement(using: &generator)!
                    finding.type = types.randomElement(using: &generator)!
                    return finding
                }
                let expected = findings.sorted {
                    if $0.severity != $1.severity { return $0.severity > $1.severity }
                    if $0.type != $1.type { return $0.type < $1.type }
                    return $0.id < $1.id
                }
                #expect(Finding.ordered(findings) == expected)
            }
        }
    }
}
