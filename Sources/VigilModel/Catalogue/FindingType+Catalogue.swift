// The 72 foundational finding types of GuardDuty's catalogue (``FindingCatalogue``), as constants.

extension FindingType {
    /// An API used to gain access to an AWS environment was invoked in an anomalous way.
    public static let credentialAccessIAMUserAnomalousBehavior = FindingType("CredentialAccess:IAMUser/AnomalousBehavior")
    /// An API used to evade defensive measures was invoked in an anomalous way.
    public static let defenseEvasionIAMUserAnomalousBehavior = FindingType("DefenseEvasion:IAMUser/AnomalousBehavior")
    /// Logging for Amazon Bedrock was disabled.
    public static let defenseEvasionIAMUserBedrockLoggingDisabled = FindingType("DefenseEvasion:IAMUser/BedrockLoggingDisabled")
    /// An API commonly used to discover resources was invoked in an anomalous way.
    public static let discoveryIAMUserAnomalousBehavior = FindingType("Discovery:IAMUser/AnomalousBehavior")
    /// An API commonly used to collect data from an AWS environment was invoked in an anomalous way.
    public static let exfiltrationIAMUserAnomalousBehavior = FindingType("Exfiltration:IAMUser/AnomalousBehavior")
    /// An API commonly used to tamper with data or processes in an AWS environment was invoked in an anomalous way.
    public static let impactIAMUserAnomalousBehavior = FindingType("Impact:IAMUser/AnomalousBehavior")
    /// An API commonly used to gain unauthorized access to an AWS environment was invoked in an anomalous way.
    public static let initialAccessIAMUserAnomalousBehavior = FindingType("InitialAccess:IAMUser/AnomalousBehavior")
    /// An API was invoked from a Kali Linux machine.
    public static let penTestIAMUserKaliLinux = FindingType("PenTest:IAMUser/KaliLinux")
    /// An API was invoked from a Parrot Security Linux machine.
    public static let penTestIAMUserParrotLinux = FindingType("PenTest:IAMUser/ParrotLinux")
    /// An API was invoked from a Pentoo Linux machine.
    public static let penTestIAMUserPentooLinux = FindingType("PenTest:IAMUser/PentooLinux")
    /// An API commonly used to maintain unauthorized access to an AWS environment was invoked in an anomalous way.
    public static let persistenceIAMUserAnomalousBehavior = FindingType("Persistence:IAMUser/AnomalousBehavior")
    /// An IAM entity invoked an API used to disable S3 Block Public Access on an account.
    public static let policyS3AccountBlockPublicAccessDisabled = FindingType("Policy:S3/AccountBlockPublicAccessDisabled")
    /// An IAM principal has granted access to an S3 bucket to the internet by changing bucket policies or ACLs.
    public static let policyS3BucketAnonymousAccessGranted = FindingType("Policy:S3/BucketAnonymousAccessGranted")
    /// An IAM entity invoked an API used to disable S3 Block Public Access on a bucket.
    public static let policyS3BucketBlockPublicAccessDisabled = FindingType("Policy:S3/BucketBlockPublicAccessDisabled")
    /// An IAM principal has granted public access to an S3 bucket to all AWS users by changing bucket policies or ACLs.
    public static let policyS3BucketPublicAccessGranted = FindingType("Policy:S3/BucketPublicAccessGranted")
    /// An API commonly used to obtain high-level permissions to an AWS environment was invoked in an anomalous way.
    public static let privilegeEscalationIAMUserAnomalousBehavior = FindingType("PrivilegeEscalation:IAMUser/AnomalousBehavior")
    /// An API was invoked from a known malicious IP address.
    public static let reconIAMUserMaliciousIPCaller = FindingType("Recon:IAMUser/MaliciousIPCaller")
    /// An API was invoked from a known malicious IP address.
    public static let reconIAMUserMaliciousIPCallerCustom = FindingType("Recon:IAMUser/MaliciousIPCaller.Custom")
    /// An API was invoked from a Tor exit node IP address.
    public static let reconIAMUserTorIPCaller = FindingType("Recon:IAMUser/TorIPCaller")
    /// AWS CloudTrail logging was disabled.
    public static let stealthIAMUserCloudTrailLoggingDisabled = FindingType("Stealth:IAMUser/CloudTrailLoggingDisabled")
    /// Account password policy was weakened.
    public static let stealthIAMUserPasswordPolicyChange = FindingType("Stealth:IAMUser/PasswordPolicyChange")
    /// S3 server access logging was disabled for a bucket.
    public static let stealthS3ServerAccessLoggingDisabled = FindingType("Stealth:S3/ServerAccessLoggingDisabled")
    /// Multiple worldwide successful console logins were observed.
    public static let unauthorizedAccessIAMUserConsoleLoginSuccessB = FindingType("UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B")
    /// An API was invoked from a known malicious IP address.
    public static let unauthorizedAccessIAMUserMaliciousIPCaller = FindingType("UnauthorizedAccess:IAMUser/MaliciousIPCaller")
    /// An API was invoked from an IP address on a custom threat list.
    public static let unauthorizedAccessIAMUserMaliciousIPCallerCustom = FindingType("UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom")
    /// An API was invoked from a Tor exit node IP address.
    public static let unauthorizedAccessIAMUserTorIPCaller = FindingType("UnauthorizedAccess:IAMUser/TorIPCaller")
    /// A sequence of API requests that were invoked by using potentially compromised AWS credentials.
    public static let attackSequenceIAMCompromisedCredentials = FindingType("AttackSequence:IAM/CompromisedCredentials")
    /// An API was invoked using root user sign-in credentials.
    public static let policyIAMUserRootCredentialUsage = FindingType("Policy:IAMUser/RootCredentialUsage")
    /// An API was invoked by using restricted root user credentials.
    public static let policyIAMUserShortTermRootCredentialUsage = FindingType("Policy:IAMUser/ShortTermRootCredentialUsage")
    /// Credentials that were created exclusively for an EC2 instance through an Instance launch role are being used from another account within AWS.
    public static let unauthorizedAccessIAMUserInstanceCredentialExfiltrationInsideAWS = FindingType("UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS")
    /// Credentials that were created exclusively for an EC2 instance through an Instance launch role are being used from an external IP address.
    public static let unauthorizedAccessIAMUserInstanceCredentialExfiltrationOutsideAWS = FindingType("UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS")
    /// Credentials that were created exclusively for an AWS Lambda resource are being used from an IP address outside of AWS.
    public static let unauthorizedAccessIAMUserResourceCredentialExfiltrationOutsideAWS = FindingType("UnauthorizedAccess:IAMUser/ResourceCredentialExfiltration.OutsideAWS")
    /// An EC2 instance is querying a domain name that is associated with a known command and control server.
    public static let backdoorEC2CCActivityBDNS = FindingType("Backdoor:EC2/C&CActivity.B!DNS")
    /// An EC2 instance is querying a domain name that is associated with cryptocurrency-related activity.
    public static let cryptoCurrencyEC2BitcoinToolBDNS = FindingType("CryptoCurrency:EC2/BitcoinTool.B!DNS")
    /// An EC2 instance is querying a low reputation domain name that is associated with known abused domains.
    public static let impactEC2AbusedDomainRequestReputation = FindingType("Impact:EC2/AbusedDomainRequest.Reputation")
    /// An EC2 instance is querying a low reputation domain name that is associated with cryptocurrency-related activity.
    public static let impactEC2BitcoinDomainRequestReputation = FindingType("Impact:EC2/BitcoinDomainRequest.Reputation")
    /// An EC2 instance is querying a domain on a custom threat entity list.
    public static let impactEC2MaliciousDomainRequestCustom = FindingType("Impact:EC2/MaliciousDomainRequest.Custom")
    /// An EC2 instance is querying a low reputation domain that is associated with known malicious domains.
    public static let impactEC2MaliciousDomainRequestReputation = FindingType("Impact:EC2/MaliciousDomainRequest.Reputation")
    /// An EC2 instance is querying a low reputation domain name that is suspicious in nature due to its age, or low popularity.
    public static let impactEC2SuspiciousDomainRequestReputation = FindingType("Impact:EC2/SuspiciousDomainRequest.Reputation")
    /// An EC2 instance is querying a domain name that is being redirected to a black hole IP address.
    public static let trojanEC2BlackholeTrafficDNS = FindingType("Trojan:EC2/BlackholeTraffic!DNS")
    /// An EC2 instance is querying algorithmically generated domains. Such domains are commonly used by malware and could be an indication of a compromised EC2 instance.
    public static let trojanEC2DGADomainRequestB = FindingType("Trojan:EC2/DGADomainRequest.B")
    /// An EC2 instance is querying algorithmically generated domains. Such domains are commonly used by malware and could be an indication of a compromised EC2 instance.
    public static let trojanEC2DGADomainRequestCDNS = FindingType("Trojan:EC2/DGADomainRequest.C!DNS")
    /// An EC2 instance is exfiltrating data through DNS queries.
    public static let trojanEC2DNSDataExfiltration = FindingType("Trojan:EC2/DNSDataExfiltration")
    /// An EC2 instance is querying a domain name of a remote host that is a known source of Drive-By download attacks.
    public static let trojanEC2DriveBySourceTrafficDNS = FindingType("Trojan:EC2/DriveBySourceTraffic!DNS")
    /// An EC2 instance is querying a domain name of a remote host that is known to hold credentials and other stolen data captured by malware.
    public static let trojanEC2DropPointDNS = FindingType("Trojan:EC2/DropPoint!DNS")
    /// An EC2 instance is querying domains involved in phishing attacks. Your EC2 instance might be compromised.
    public static let trojanEC2PhishingDomainRequestDNS = FindingType("Trojan:EC2/PhishingDomainRequest!DNS")
    /// An EC2 instance is performing DNS lookups that resolve to the instance metadata service.
    public static let unauthorizedAccessEC2MetadataDNSRebind = FindingType("UnauthorizedAccess:EC2/MetadataDNSRebind")
    /// An EC2 instance is querying an IP that is associated with a known command and control server.
    public static let backdoorEC2CCActivityB = FindingType("Backdoor:EC2/C&CActivity.B")
    /// An EC2 instance is behaving in a manner that may indicate it is being used to perform a Denial of Service (DoS) attack using the DNS protocol.
    public static let backdoorEC2DenialOfServiceDns = FindingType("Backdoor:EC2/DenialOfService.Dns")
    /// An EC2 instance is behaving in a manner indicating it is being used to perform a Denial of Service (DoS) attack using the TCP protocol.
    public static let backdoorEC2DenialOfServiceTcp = FindingType("Backdoor:EC2/DenialOfService.Tcp")
    /// An EC2 instance is behaving in a manner indicating it is being used to perform a Denial of Service (DoS) attack using the UDP protocol.
    public static let backdoorEC2DenialOfServiceUdp = FindingType("Backdoor:EC2/DenialOfService.Udp")
    /// An EC2 instance is behaving in a manner that may indicate it is being used to perform a Denial of Service (DoS) attack using the UDP protocol on a TCP port.
    public static let backdoorEC2DenialOfServiceUdpOnTcpPorts = FindingType("Backdoor:EC2/DenialOfService.UdpOnTcpPorts")
    /// An EC2 instance is behaving in a manner that may indicate it is being used to perform a Denial of Service (DoS) attack using an unusual protocol.
    public static let backdoorEC2DenialOfServiceUnusualProtocol = FindingType("Backdoor:EC2/DenialOfService.UnusualProtocol")
    /// An EC2 instance is exhibiting unusual behavior by communicating with a remote host on port 25.
    public static let backdoorEC2Spambot = FindingType("Backdoor:EC2/Spambot")
    /// An EC2 instance is communicating with a remote host on an unusual server port.
    public static let behaviorEC2NetworkPortUnusual = FindingType("Behavior:EC2/NetworkPortUnusual")
    /// An EC2 instance is generating unusually large amounts of network traffic to a remote host.
    public static let behaviorEC2TrafficVolumeUnusual = FindingType("Behavior:EC2/TrafficVolumeUnusual")
    /// An EC2 instance is querying an IP address that is associated with cryptocurrency-related activity.
    public static let cryptoCurrencyEC2BitcoinToolB = FindingType("CryptoCurrency:EC2/BitcoinTool.B")
    /// An Amazon EC2 instance is communicating with an unusual public DNS resolver.
    public static let defenseEvasionEC2UnusualDNSResolver = FindingType("DefenseEvasion:EC2/UnusualDNSResolver")
    /// An Amazon EC2 instance is performing an unusual DNS over HTTPS (DoH) communication.
    public static let defenseEvasionEC2UnusualDoHActivity = FindingType("DefenseEvasion:EC2/UnusualDoHActivity")
    /// An Amazon EC2 instance is performing an unusual DNS over TLS (DoT) communication.
    public static let defenseEvasionEC2UnusualDoTActivity = FindingType("DefenseEvasion:EC2/UnusualDoTActivity")
    /// An EC2 instance is probing a port on a large number of IP addresses.
    public static let impactEC2PortSweep = FindingType("Impact:EC2/PortSweep")
    /// An EC2 instance is performing an outbound Windows Remote Management brute force attack.
    public static let impactEC2WinRMBruteForce = FindingType("Impact:EC2/WinRMBruteForce")
    /// An EC2 instance has an unprotected EMR related port which is being probed by a known malicious host.
    public static let reconEC2PortProbeEMRUnprotectedPort = FindingType("Recon:EC2/PortProbeEMRUnprotectedPort")
    /// An EC2 instance has an unprotected port that is being probed by a known malicious host.
    public static let reconEC2PortProbeUnprotectedPort = FindingType("Recon:EC2/PortProbeUnprotectedPort")
    /// An EC2 instance is performing outbound port scans to a remote host.
    public static let reconEC2Portscan = FindingType("Recon:EC2/Portscan")
    /// An EC2 instance is attempting to communicate with an IP address of a remote host that is a known black hole.
    public static let trojanEC2BlackholeTraffic = FindingType("Trojan:EC2/BlackholeTraffic")
    /// An EC2 instance is attempting to communicate with an IP address of a remote host that is known to hold credentials and other stolen data captured by malware.
    public static let trojanEC2DropPoint = FindingType("Trojan:EC2/DropPoint")
    /// An EC2 instance is making connections to an IP address on a custom threat list.
    public static let unauthorizedAccessEC2MaliciousIPCallerCustom = FindingType("UnauthorizedAccess:EC2/MaliciousIPCaller.Custom")
    /// An EC2 instance has been involved in RDP brute force attacks.
    public static let unauthorizedAccessEC2RDPBruteForce = FindingType("UnauthorizedAccess:EC2/RDPBruteForce")
    /// An EC2 instance has been involved in SSH brute force attacks.
    public static let unauthorizedAccessEC2SSHBruteForce = FindingType("UnauthorizedAccess:EC2/SSHBruteForce")
    /// Your EC2 instance is making connections to a Tor Guard or an Authority node.
    public static let unauthorizedAccessEC2TorClient = FindingType("UnauthorizedAccess:EC2/TorClient")
    /// Your EC2 instance is making connections to a Tor network as a Tor relay.
    public static let unauthorizedAccessEC2TorRelay = FindingType("UnauthorizedAccess:EC2/TorRelay")
}
