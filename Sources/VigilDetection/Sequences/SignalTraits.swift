import VigilModel

/// What a finding type says of its findings as sequence signals: the ATT&CK tactic its threat
/// purpose stands for and the traits the correlator weighs. Judged from the type's text once per
/// type (``SignalTraits/Cache``), not once per finding.
struct SignalTraits: Sendable {
    let tactic: String?
    /// An attack sequence itself: never a signal of one.
    let isSequence: Bool
    /// The caller is a Tor exit (`…TorIPCaller`, `…TorClient`).
    let isTor: Bool
    /// The type names a known-bad caller (`…MaliciousIPCaller…`).
    let isMaliciousCaller: Bool
    let isPenTest: Bool
    /// Credentials taken off a resource, or an anomaly of the principal's own behaviour: the
    /// credentials are in the wrong hands by the type alone.
    let isAccessType: Bool

    init(type: String) {
        isSequence = type.hasPrefix("AttackSequence:")
        isTor = type.contains("TorIPCaller") || type.contains("TorClient")
        isMaliciousCaller = type.contains("MaliciousIPCaller")
        isPenTest = type.hasPrefix("PenTest:")
        isAccessType = type.contains("CredentialExfiltration") || type.hasSuffix("/AnomalousBehavior")
        tactic = SequenceTactics.tactic(purpose: type.prefix { $0 != ":" }, type: type)
    }

    /// The traits of the types one correlator has seen (a few dozen): one dictionary lookup a finding.
    struct Cache {
        private var byType: [String: SignalTraits] = [:]

        mutating func traits(of type: String) -> SignalTraits {
            if let known = byType[type] { return known }
            let traits = SignalTraits(type: type)
            // Types are the catalogue's and the rules' (bounded by what is loaded); the bound
            // only guards against a store of imported findings with arbitrary types.
            if byType.count < 4096 { byType[type] = traits }
            return traits
        }
    }
}
