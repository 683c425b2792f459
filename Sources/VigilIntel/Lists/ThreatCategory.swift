/// What a list's indicators are known for. The category decides which finding type a match
/// raises (Tor exit → `…/TorIPCaller`, mining pool → `CryptoCurrency:EC2/BitcoinTool.B`, …).
public enum ThreatCategory: String, CaseIterable, Sendable, Hashable, Codable {
    /// A user's own threat list: raises the `.Custom` finding types.
    case custom
    /// Generally malicious addresses or domains (reputation feeds).
    case malicious
    case torExit = "tor-exit"
    /// Tor relays, guards and directory authorities (not exits).
    case torRelay = "tor-relay"
    /// Mining pools and crypto-currency services, from curated lists (raises `BitcoinTool.B`).
    case mining
    /// Crypto-currency domains from reputation feeds (raises `BitcoinDomainRequest.Reputation`).
    case miningReputation = "mining-reputation"
    case commandAndControl = "c2"
    case phishing
    case dropPoint = "drop-point"
    case blackhole
    case driveBy = "drive-by"
    /// Domains of free or abused services (dynamic DNS, URL shorteners) often used by malware.
    case abused
    /// Low-reputation domains: newly registered, rarely seen.
    case suspicious
    case publicResolver = "public-resolver"
    /// DNS-over-HTTPS endpoints.
    case doh
    /// DNS-over-TLS endpoints.
    case dot
}
