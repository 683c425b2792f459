import VigilIntel
import VigilLogs
import VigilModel

/// UnauthorizedAccess:EC2/MetadataDNSRebind — an instance resolved a name whose answer is the
/// instance metadata service (169.254.169.254, or fd00:ec2::254), the trick DNS-rebinding attacks
/// use to reach the metadata service through an application that fetches user-supplied URLs.
/// Names under `amazonaws.com` and `internal` are AWS's own and do not count.
public final class MetadataDNSRebind: DNSDetector {
    public let name = "metadata-dns-rebind"
    public let findingTypes = [FindingType.unauthorizedAccessEC2MetadataDNSRebind]
    private let suffixes: PublicSuffixList?

    public init(publicSuffixes: PublicSuffixList? = nil) {
        self.suffixes = publicSuffixes
    }

    public func inspect(_ query: ResolverQuery, source: LogSource, into sink: FindingSink) {
        let answers = query.answers
        // Cheap test first: most records have no answer text mentioning the link-local address.
        guard answers.count > 10, answers.containsIgnoringCase("169.254.169.254") || answers.containsIgnoringCase("fd00:ec2::254") else { return }
        let name = query.queryName
        if name.hasSuffix("amazonaws.com.") || name.hasSuffix("amazonaws.com") || name.hasSuffix(".internal.") || name.hasSuffix(".internal") { return }
        let dns = DNSContext(query, source: source, suffixes: suffixes)
        sink.report(dns.observation(
            findingTypes[0],
            title: "\(dns.instance) resolved \(dns.domain) to the instance metadata service.",
            description: "The name \(dns.domain), queried by \(dns.instance), resolves to 169.254.169.254: a DNS-rebinding attempt to reach the metadata service and its credentials.",
            evidence: nil))
    }
}
