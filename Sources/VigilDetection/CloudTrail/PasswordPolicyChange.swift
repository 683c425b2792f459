import VigilLogs
import VigilModel

/// Stealth:IAMUser/PasswordPolicyChange — the account password policy was weakened.
///
/// `DeleteAccountPasswordPolicy` always counts (Medium). An `UpdateAccountPasswordPolicy` counts
/// (Low) when it is weaker than the policy the account last set — shorter minimum length, a
/// character class no longer required, a longer or removed expiry, less reuse prevention, or no
/// more hard expiry — or, when no earlier policy has been seen, when it falls below AWS's own
/// default policy (8 characters with at least three character classes).
public final class PasswordPolicyChange: CloudTrailDetector {
    public let name = "password-policy-change"
    public let findingTypes = [FindingType.stealthIAMUserPasswordPolicyChange]
    public let eventNames: Set<String>? = ["UpdateAccountPasswordPolicy", "DeleteAccountPasswordPolicy"]

    /// The last policy each account set. Bounded: an account table past `accountLimit` is cleared.
    private var lastPolicy: [String: PasswordPolicy] = [:]
    private let accountLimit = 100_000

    public init() {}

    public func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
        guard !event.errorCode.isPresent else { return }
        let account = context.accountId
        let weakenings: [String]
        let severity: Double
        if event.eventName.equals("DeleteAccountPasswordPolicy") {
            lastPolicy[account] = nil
            weakenings = ["the password policy was deleted"]
            severity = 5.0
        } else {
            guard let parameters = JSONTree(event.requestParameters) else { return }
            let policy = PasswordPolicy(parameters)
            let baseline = lastPolicy[account] ?? PasswordPolicy.awsDefault
            if lastPolicy.count >= accountLimit { lastPolicy.removeAll(keepingCapacity: true) }
            lastPolicy[account] = policy
            weakenings = policy.weakenings(comparedTo: baseline)
            severity = 2.0
        }
        guard !weakenings.isEmpty else { return }
        sink.report(context.observation(
            findingTypes[0], severity: severity,
            title: "Account password policy was weakened.",
            description: "\(context.principalDescription.capitalizedFirst) called \(event.eventName) \(context.originDescription): \(weakenings.joined(separator: "; ")).",
            identity: .init(resource: "account:\(account)", actor: context.principalKey),
            details: ["weakenedSettings": weakenings.joined(separator: "; ")]))
    }
}

/// The settings of an IAM account password policy that make it stronger or weaker.
struct PasswordPolicy: Equatable {
    var minimumLength: Int
    var requireSymbols: Bool
    var requireNumbers: Bool
    var requireUppercase: Bool
    var requireLowercase: Bool
    /// Days; 0 when passwords never expire.
    var maxAge: Int
    var reusePrevention: Int
    var hardExpiry: Bool

    /// What AWS applies when an account has no custom policy.
    static let awsDefault = PasswordPolicy(minimumLength: 8, requireSymbols: false, requireNumbers: false,
                                           requireUppercase: false, requireLowercase: false, maxAge: 0,
                                           reusePrevention: 0, hardExpiry: false)

    init(minimumLength: Int, requireSymbols: Bool, requireNumbers: Bool, requireUppercase: Bool,
         requireLowercase: Bool, maxAge: Int, reusePrevention: Int, hardExpiry: Bool) {
        self.minimumLength = minimumLength
        self.requireSymbols = requireSymbols
        self.requireNumbers = requireNumbers
        self.requireUppercase = requireUppercase
        self.requireLowercase = requireLowercase
        self.maxAge = maxAge
        self.reusePrevention = reusePrevention
        self.hardExpiry = hardExpiry
    }

    /// Reads `UpdateAccountPasswordPolicy` parameters; unstated settings take IAM's defaults.
    init(_ p: JSONTree) {
        func int(_ key: String) -> Int? {
            if case .number(let n)? = p[key] { return Int(n) }
            return p[key]?.stringValue.flatMap(Int.init)
        }
        minimumLength = int("minimumPasswordLength") ?? 6
        requireSymbols = p["requireSymbols"]?.boolValue ?? false
        requireNumbers = p["requireNumbers"]?.boolValue ?? false
        requireUppercase = p["requireUppercaseCharacters"]?.boolValue ?? false
        requireLowercase = p["requireLowercaseCharacters"]?.boolValue ?? false
        maxAge = int("maxPasswordAge") ?? 0
        reusePrevention = int("passwordReusePrevention") ?? 0
        hardExpiry = p["hardExpiry"]?.boolValue ?? false
    }

    var characterClasses: Int {
        [requireSymbols, requireNumbers, requireUppercase, requireLowercase].filter { $0 }.count
    }

    /// The ways this policy is weaker than `baseline`, in words.
    func weakenings(comparedTo baseline: PasswordPolicy) -> [String] {
        var out: [String] = []
        if minimumLength < baseline.minimumLength { out.append("minimum length lowered from \(baseline.minimumLength) to \(minimumLength)") }
        if baseline == .awsDefault {
            // AWS's default policy asks for three of the four character classes.
            if characterClasses == 0 && minimumLength < 14 { out.append("no character classes required") }
            return out
        }
        if baseline.requireSymbols && !requireSymbols { out.append("symbols no longer required") }
        if baseline.requireNumbers && !requireNumbers { out.append("numbers no longer required") }
        if baseline.requireUppercase && !requireUppercase { out.append("upper-case letters no longer required") }
        if baseline.requireLowercase && !requireLowercase { out.append("lower-case letters no longer required") }
        if baseline.maxAge > 0 && (maxAge == 0 || maxAge > baseline.maxAge) {
            out.append(maxAge == 0 ? "password expiry removed" : "password expiry extended from \(baseline.maxAge) to \(maxAge) days")
        }
        if reusePrevention < baseline.reusePrevention { out.append("reuse prevention lowered from \(baseline.reusePrevention) to \(reusePrevention)") }
        if baseline.hardExpiry && !hardExpiry { out.append("hard expiry removed") }
        return out
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
