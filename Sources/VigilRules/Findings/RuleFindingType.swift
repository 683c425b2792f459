import VigilModel

/// The finding type a rule's findings carry: `ThreatPurpose:IAMUser/Sigma.NameFromTitle` for
/// CloudTrail rules, `ThreatPurpose:EC2/Sigma.NameFromTitle` for flow-log and DNS rules.
///
/// Documented and stable: the threat purpose is the rule's first ATT&CK tactic tag as GuardDuty
/// names purposes (`attack.persistence` → `Persistence`; tactics GuardDuty has no purpose for take
/// the nearest: collection → `Exfiltration`, command-and-control → `Backdoor`, lateral-movement and
/// resource-development → `UnauthorizedAccess`; no tactic → `UnauthorizedAccess`); the resource
/// is `IAMUser` (the credentials that made the call, as GuardDuty's CloudTrail findings) or `EC2`
/// (the instance whose traffic or queries matched); the
/// name is `Sigma.` and the rule's title in CamelCase, letters and digits only. A type longer than
/// GuardDuty's 100 characters is cut and ends with the first eight characters of the rule's id.
enum RuleFindingType {
    static func make(title: String, tactics: [String], id: String?, source: SigmaLogSource = .cloudTrail) -> FindingType {
        let purpose = tactics.lazy.compactMap { purposes[$0] }.first ?? "UnauthorizedAccess"
        let prefix = "\(purpose):\(source == .cloudTrail ? "IAMUser" : "EC2")/Sigma."
        var name = camelCase(title)
        if name.isEmpty { name = "Rule" }
        var type = prefix + name
        if type.count > 100 {
            let tag = String((id ?? name).filter { $0.isLetter || $0.isNumber }.prefix(8))
            type = String(type.prefix(100 - tag.count - 1)) + "." + tag
        }
        return .custom(type)
    }

    /// The ATT&CK tactics among a rule's tags (`attack.persistence` → `persistence`; techniques,
    /// groups and software are not tactics).
    static func tactics(in tags: [String]) -> [String] {
        tags.compactMap { tag in
            let lower = tag.lowercased()
            guard lower.hasPrefix("attack."), purposes[String(lower.dropFirst(7))] != nil else { return nil }
            return String(lower.dropFirst(7))
        }
    }

    static let purposes: [String: String] = [
        "reconnaissance": "Recon", "resource-development": "UnauthorizedAccess", "initial-access": "InitialAccess",
        "execution": "Execution", "persistence": "Persistence", "privilege-escalation": "PrivilegeEscalation",
        "defense-evasion": "DefenseEvasion", "stealth": "Stealth", "credential-access": "CredentialAccess",
        "discovery": "Discovery", "lateral-movement": "UnauthorizedAccess", "collection": "Exfiltration",
        "command-and-control": "Backdoor", "exfiltration": "Exfiltration", "impact": "Impact",
    ]

    /// `AWS User Login Profile Was Modified` → `AWSUserLoginProfileWasModified`.
    static func camelCase(_ title: String) -> String {
        var out = ""
        var upperNext = true
        for scalar in title.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(upperNext ? Unicode.Scalar(String(scalar).uppercased())! : scalar)
                upperNext = false
            } else {
                upperNext = true
            }
        }
        return out
    }
}
