import VigilIntel
import VigilModel

/// The threat and trusted lists in force for the record being analysed: the lists that apply to
/// every account (the configuration's, Vigil's built-in lists and feeds) and the lists of the
/// record's own account and region (registered through the API by its detector, or by its
/// administrator's). The ``AccountRouter`` sets ``own`` before it hands a record to an account's
/// detectors, so one account's lists never reach another account's records.
///
/// Lookups ask the shared lists first and the account's own after; a scan without per-account
/// lists pays one `nil` test for them.
public final class IntelScope {
    /// Lists for every account.
    public let shared: ThreatIntelligence
    /// The lists of the current record's account and region, if it has any.
    public internal(set) var own: ThreatIntelligence?
    /// The addresses this account's instances resolved from listed domains.
    public let resolved = ResolvedAddresses()

    public init(shared: ThreatIntelligence = .empty) {
        self.shared = shared
    }

    /// Whether some list holds addresses.
    public var hasNetworks: Bool { shared.hasNetworks || own?.hasNetworks == true }
    /// Whether some list holds domains.
    public var hasDomains: Bool { shared.hasDomains || own?.hasDomains == true }
    /// Whether some trusted list holds anything.
    public var hasTrusted: Bool { shared.trustedCount > 0 || (own?.trustedCount ?? 0) > 0 }

    /// Whether a trusted list holds `address`.
    @inline(__always)
    public func isTrusted(_ address: IPAddress) -> Bool {
        shared.isTrusted(address) || own?.isTrusted(address) == true
    }

    /// Whether some threat list holds `address` (no matches built: for the per-record path).
    @inline(__always)
    public func isListed(_ address: IPAddress) -> Bool {
        shared.isListed(address) || own?.isListed(address) == true
    }

    /// The lists holding `address`.
    public func match(_ address: IPAddress) -> [IntelMatch] {
        guard let own else { return shared.match(address) }
        return shared.match(address) + own.match(address)
    }

    /// The lists holding `name` or a parent domain of it.
    public func match(domain name: UnsafeRawBufferPointer) -> [IntelMatch] {
        guard let own else { return shared.match(domain: name) }
        return shared.match(domain: name) + own.match(domain: name)
    }
}
