import Foundation
import VigilModel

/// Writes realistic CloudTrail management events: 36 event names over 11 services, every
/// `userIdentity` type, request and response bodies of the real shapes, about 1.4 KB an event.
///
/// The mix follows real trails: reads (Describe/List/Get, AssumeRole, KMS) and routine writes
/// (tags, log streams, console sign-ins) dominate; sensitive writes (instances, security-group
/// ingress, access keys, role policies, function code, session tokens) are about one event in 55,
/// security configuration changes (StopLogging, bucket policies, password policy) one in 500,
/// root-user calls one in 200; some calls fail with AccessDenied.
public struct CloudTrailSynthesizer {
    public init() {}
    var random = SplitMix64(state: 0xC10D_7A11)
    let accounts = ["111122223333", "444455556666", "777788889999"]
    let regions = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"]
    let agents = [
        "aws-cli/2.13.5 Python/3.11.4 Linux/5.15.0-1045-aws exe/x86_64.ubuntu.22 prompt/off command/s3.ls",
        "Boto3/1.28.40 md/Botocore#1.31.40 ua/2.0 os/linux#5.10.186-179.751.amzn2.x86_64 md/arch#x86_64 lang/python#3.9.16 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.31.40",
        "aws-sdk-go-v2/1.21.0 os/linux lang/go#1.21.1 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.118.0",
        "AWS Internal", "console.amazonaws.com", "signin.amazonaws.com",
        "aws-sdk-java/1.12.529 Linux/5.10.192-183.736.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.8+7-LTS java/17.0.8 vendor/Amazon.com_Inc.",
        "Terraform/1.5.7 (+https://www.terraform.io) terraform-provider-aws/5.17.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go/1.45.11 (go1.20.7; linux; amd64)",
        "aws-cli/1.16.307 Python/3.7.5 Linux/5.3.0-kali2-amd64 botocore/1.13.43",
    ]
    /// (eventSource, eventName, readOnly)
    let apis: [(String, String, Bool)] = [
        ("ec2.amazonaws.com", "DescribeInstances", true), ("ec2.amazonaws.com", "RunInstances", false),
        ("ec2.amazonaws.com", "DescribeSecurityGroups", true), ("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", false),
        ("ec2.amazonaws.com", "CreateTags", false), ("ec2.amazonaws.com", "DescribeVolumes", true),
        ("s3.amazonaws.com", "ListBuckets", true), ("s3.amazonaws.com", "GetBucketAcl", true),
        ("s3.amazonaws.com", "PutBucketPolicy", false), ("s3.amazonaws.com", "PutBucketLogging", false),
        ("s3.amazonaws.com", "PutBucketPublicAccessBlock", false), ("s3.amazonaws.com", "GetBucketPolicy", true),
        ("iam.amazonaws.com", "ListUsers", true), ("iam.amazonaws.com", "GetRole", true),
        ("iam.amazonaws.com", "CreateAccessKey", false), ("iam.amazonaws.com", "AttachRolePolicy", false),
        ("iam.amazonaws.com", "UpdateAccountPasswordPolicy", false), ("iam.amazonaws.com", "ListAttachedRolePolicies", true),
        ("sts.amazonaws.com", "AssumeRole", true), ("sts.amazonaws.com", "GetCallerIdentity", true),
        ("sts.amazonaws.com", "GetSessionToken", true), ("signin.amazonaws.com", "ConsoleLogin", false),
        ("cloudtrail.amazonaws.com", "LookupEvents", true), ("cloudtrail.amazonaws.com", "StopLogging", false),
        ("cloudtrail.amazonaws.com", "DescribeTrails", true), ("kms.amazonaws.com", "Decrypt", true),
        ("kms.amazonaws.com", "GenerateDataKey", true), ("lambda.amazonaws.com", "ListFunctions20150331", true),
        ("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", false), ("logs.amazonaws.com", "CreateLogStream", false),
        ("logs.amazonaws.com", "DescribeLogGroups", true), ("ssm.amazonaws.com", "GetParameter", true),
        ("secretsmanager.amazonaws.com", "GetSecretValue", true), ("rds.amazonaws.com", "DescribeDBInstances", true),
        ("dynamodb.amazonaws.com", "DescribeTable", true), ("guardduty.amazonaws.com", "ListDetectors", true),
    ]

    static let rare: Set<String> = ["StopLogging", "PutBucketPolicy", "PutBucketLogging", "PutBucketPublicAccessBlock", "UpdateAccountPasswordPolicy"]
    static let sensitive: Set<String> = ["RunInstances", "AuthorizeSecurityGroupIngress", "CreateAccessKey", "AttachRolePolicy",
                                         "UpdateFunctionCode20150331v2", "GetSessionToken"]
    static let common: Set<String> = Set(CloudTrailSynthesizer().apis.map(\.1)).subtracting(rare).subtracting(sensitive)

    /// A `userIdentity` object as JSON text, and whether it is an instance's role session (named
    /// after the instance).
    mutating func identity(account: String) -> (json: String, fromInstance: Bool) {
        let principal = "AIDA" + random.upper(17)
        let key = (random.below(2) == 0 ? "AKIA" : "ASIA") + random.upper(16)
        switch random.below(200) == 0 ? 0 : 1 + random.below(19) {
        case 0:
            return (#"{"type":"Root","principalId":"\#(account)","arn":"arn:aws:iam::\#(account):root","accountId":"\#(account)","accessKeyId":"\#(key)"}"#, false)
        case 1...6:
            let user = random.pick(["alice", "bob", "ci-deployer", "carol.admin", "svc-backup"])
            return (#"{"type":"IAMUser","principalId":"\#(principal)","arn":"arn:aws:iam::\#(account):user/\#(user)","accountId":"\#(account)","accessKeyId":"\#(key)","userName":"\#(user)"}"#, false)
        case 7...14:
            let role = random.pick(["OrganizationAccountAccessRole", "web-server", "AWSReservedSSO_AdministratorAccess_0123456789abcdef", "lambda-exec", "github-actions"])
            let session = random.pick(["i-0\(random.hex(16))", "alice@example.com", "GitHubActions", "botocore-session-\(random.below(1_000_000_000))"])
            let created = "2023-11-14T\(String(format: "%02d", random.below(24))):\(String(format: "%02d", random.below(60))):00Z"
            return (#"{"type":"AssumedRole","principalId":"AROA\#(random.upper(17)):\#(session)","arn":"arn:aws:sts::\#(account):assumed-role/\#(role)/\#(session)","accountId":"\#(account)","accessKeyId":"ASIA\#(random.upper(16))","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROA\#(random.upper(17))","arn":"arn:aws:iam::\#(account):role/\#(role)","accountId":"\#(account)","userName":"\#(role)"},"webIdFederationData":{},"attributes":{"creationDate":"\#(created)","mfaAuthenticated":"\#(random.below(3) == 0 ? "true" : "false")"},"ec2RoleDelivery":"2.0"}}"#, session.hasPrefix("i-0"))
        case 15:
            return (#"{"type":"FederatedUser","principalId":"\#(account):dev-user","arn":"arn:aws:sts::\#(account):federated-user/dev-user","accountId":"\#(account)","accessKeyId":"\#(key)","sessionContext":{"sessionIssuer":{"type":"IAMUser","principalId":"\#(principal)","arn":"arn:aws:iam::\#(account):user/federation-broker","accountId":"\#(account)","userName":"federation-broker"},"attributes":{"creationDate":"2023-11-14T08:00:00Z","mfaAuthenticated":"false"}}}"#, false)
        case 16:
            return (#"{"type":"AWSService","invokedBy":"\#(random.pick(["ec2.amazonaws.com", "lambda.amazonaws.com", "config.amazonaws.com"]))"}"#, false)
        case 17:
            // Another account's principal: one of a few, as the callers from a partner account are.
            let caller = random.pick(["AIDAPARTNERDEPLOYER01", "AIDAPARTNERAUDITOR002", "AROAPARTNERBACKUP0003"])
            return (#"{"type":"AWSAccount","principalId":"\#(caller)","accountId":"999988887777"}"#, false)
        case 18:
            return (#"{"type":"IdentityCenterUser","accountId":"\#(account)","onBehalfOf":{"userId":"\#(random.hex(8))-\#(random.hex(4))-\#(random.hex(4))-\#(random.hex(4))-\#(random.hex(12))","identityStoreArn":"arn:aws:identitystore::\#(account):identitystore/d-\#(random.hex(10))"},"credentialId":"\#(random.upper(24))"}"#, false)
        default:
            // The prefix of a SAML principal ID is fixed for the provider and the account.
            let user = random.pick(["alice@example.com", "dave@example.com", "erin@example.com"])
            return (#"{"type":"SAMLUser","principalId":"\#(String(ByteHash.fnv1a(account + "/Okta"), radix: 16)):\#(user)","userName":"\#(user)","identityProvider":"arn:aws:iam::\#(account):saml-provider/Okta"}"#, false)
        }
    }

    mutating func parameters(_ name: String, account: String) -> (String, String) {
        let bucket = "data-\(random.hex(8))"
        switch name {
        case "RunInstances":
            return (#"{"instancesSet":{"items":[{"imageId":"ami-0\#(random.hex(16))","minCount":1,"maxCount":1}]},"instanceType":"\#(random.pick(["t3.micro", "m5.large", "c5.xlarge"]))","blockDeviceMapping":{},"monitoring":{"enabled":false},"disableApiTermination":false,"clientToken":"\#(random.hex(32))"}"#,
                    #"{"requestId":"\#(random.hex(8))-\#(random.hex(4))","reservationId":"r-0\#(random.hex(16))","ownerId":"\#(account)","instancesSet":{"items":[{"instanceId":"i-0\#(random.hex(16))","imageId":"ami-0\#(random.hex(16))","instanceState":{"code":0,"name":"pending"},"privateIpAddress":"10.0.\#(random.below(256)).\#(random.below(256))","subnetId":"subnet-0\#(random.hex(16))","vpcId":"vpc-0\#(random.hex(16))","networkInterfaceSet":{"items":[{"networkInterfaceId":"eni-0\#(random.hex(16))"}]}}]}}"#)
        case "PutBucketPolicy":
            let principal = random.below(10) == 0 ? #""*""# : #"{"AWS":"arn:aws:iam::\#(account):root"}"#
            return (#"{"bucketName":"\#(bucket)","bucketPolicy":{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Principal":\#(principal),"Action":"s3:GetObject","Resource":"arn:aws:s3:::\#(bucket)/*"}]},"Host":"\#(bucket).s3.amazonaws.com","policy":""}"#, "null")
        case "PutBucketLogging":
            return (#"{"bucketName":"\#(bucket)","BucketLoggingStatus":{"xmlns":"http://s3.amazonaws.com/doc/2006-03-01/"\#(random.below(3) == 0 ? "" : #","LoggingEnabled":{"TargetBucket":"logs-\#(account)","TargetPrefix":"\#(bucket)/"}"#)},"Host":"\#(bucket).s3.amazonaws.com","logging":""}"#, "null")
        case "PutBucketPublicAccessBlock":
            let flag = random.below(4) == 0 ? "false" : "true"
            return (#"{"bucketName":"\#(bucket)","PublicAccessBlockConfiguration":{"xmlns":"http://s3.amazonaws.com/doc/2006-03-01/","RestrictPublicBuckets":true,"BlockPublicPolicy":\#(flag),"BlockPublicAcls":true,"IgnorePublicAcls":true},"Host":"\#(bucket).s3.amazonaws.com","publicAccessBlock":""}"#, "null")
        case "StopLogging":
            return (#"{"name":"arn:aws:cloudtrail:us-east-1:\#(account):trail/management-events"}"#, "null")
        case "AssumeRole":
            return (#"{"roleArn":"arn:aws:iam::\#(account):role/deploy","roleSessionName":"session-\#(random.hex(8))","durationSeconds":3600}"#,
                    #"{"credentials":{"accessKeyId":"ASIA\#(random.upper(16))","sessionToken":"IQoJb3JpZ2luX2VjE\#(random.hex(48))","expiration":"Nov 14, 2023, 11:15:00 PM"},"assumedRoleUser":{"assumedRoleId":"AROA\#(random.upper(17)):session","arn":"arn:aws:sts::\#(account):assumed-role/deploy/session"}}"#)
        case "ConsoleLogin":
            return ("null", #"{"ConsoleLogin":"\#(random.below(8) == 0 ? "Failure" : "Success")"}"#)
        case "UpdateAccountPasswordPolicy":
            return (#"{"minimumPasswordLength":\#(random.pick([8, 12, 14])),"requireSymbols":true,"requireNumbers":true,"requireUppercaseCharacters":true,"requireLowercaseCharacters":true,"allowUsersToChangePassword":true,"maxPasswordAge":90,"passwordReusePrevention":24}"#, "null")
        case "Decrypt", "GenerateDataKey":
            return (#"{"encryptionContext":{"aws:lambda:FunctionArn":"arn:aws:lambda:us-east-1:\#(account):function:fn-\#(random.hex(6))"},"encryptionAlgorithm":"SYMMETRIC_DEFAULT","keyId":"arn:aws:kms:us-east-1:\#(account):key/\#(random.hex(8))-\#(random.hex(4))-\#(random.hex(4))-\#(random.hex(4))-\#(random.hex(12))"}"#, "null")
        case "DescribeInstances":
            return (#"{"instancesSet":{},"filterSet":{"items":[{"name":"instance-state-name","valueSet":{"items":[{"value":"running"}]}}]},"maxResults":1000}"#, "null")
        default:
            return (#"{"maxResults":\#(random.pick([50, 100, 1000])),"resourceName":"\#(name.lowercased())-\#(random.hex(10))","filters":[{"name":"tag:Environment","values":["production","staging"]}]}"#, "null")
        }
    }

    /// Blocks of EC2 addresses (first octet, first second octet, how many): Amazon's networks in the
    /// geolocation databases, so an instance's calls come from AWS as real instances' do.
    static let ec2Blocks: [(Int, Int, Int)] = [(3, 80, 16), (3, 208, 16), (3, 224, 16), (54, 160, 16), (54, 208, 14)]

    /// A new address in one of ``ec2Blocks``.
    mutating func ec2Address() -> String {
        let block = random.pick(Self.ec2Blocks)
        return "\(block.0).\(block.1 + random.below(block.2)).\(random.below(256)).\(random.below(255) + 1)"
    }

    /// One event as JSON text, of `account` (else one of three accounts at random). The source
    /// address is a new public address nine times in ten (the rest are AWS services), as attacks,
    /// scanners and mobile users make it; an instance's role session calls from a new EC2 address.
    public mutating func event(at time: Int64, account pinned: String? = nil) -> String {
        let account = pinned ?? random.pick(accounts)
        let region = random.pick(regions)
        // One event in 500 is a security configuration change; about one in 55 a sensitive write
        // (instances launched, ingress opened, keys made, policies attached, code replaced,
        // session tokens); the rest reads and routine writes, as real trails are.
        let draw = random.below(500)
        let wanted = draw == 0 ? Self.rare : (draw <= 9 ? Self.sensitive : Self.common)
        var api = random.pick(apis)
        while !wanted.contains(api.1) { api = random.pick(apis) }
        let (source, name, readOnly) = api
        // An instance's role session calls from the instance: an EC2 address.
        let (identity, fromInstance) = identity(account: account)
        let (request, response) = parameters(name, account: account)
        let agent = random.below(5000) == 0 ? agents[8] : agents[random.below(8)]
        let ip = fromInstance
            ? ec2Address()
            : random.below(10) == 0 ? random.pick(["ec2.amazonaws.com", "AWS Internal"]) : "\(random.pick([3, 18, 34, 52, 54, 81, 198, 203])).\(random.below(256)).\(random.below(256)).\(random.below(255) + 1)"
        let error = random.below(12) == 0 ? #","errorCode":"AccessDenied","errorMessage":"User is not authorized to perform: \#(source.split(separator: ".")[0]):\#(name) on resource because no identity-based policy allows the action""# : ""
        let service = source.split(separator: ".")[0]
        let resources = random.below(3) == 0
            ? #""resources":[{"accountId":"\#(account)","type":"AWS::\#(service.uppercased())::Resource","ARN":"arn:aws:\#(service):\#(region):\#(account):resource/\#(random.hex(12))"}],"#
            : ""
        let timestamp = Timestamp(secondsSinceEpoch: time).iso8601.replacingOccurrences(of: ".000Z", with: "Z")
        let tls = #""tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"\#(source.replacingOccurrences(of: ".amazonaws.com", with: "")).\#(region).amazonaws.com"}"#
        return #"{"eventVersion":"1.09","userIdentity":\#(identity),"eventTime":"\#(timestamp)","eventSource":"\#(source)","eventName":"\#(name)","awsRegion":"\#(region)","sourceIPAddress":"\#(ip)","userAgent":"\#(agent)"\#(error),"requestParameters":\#(request),"responseElements":\#(response),"additionalEventData":{"SignatureVersion":"SigV4","CipherSuite":"ECDHE-RSA-AES128-GCM-SHA256","AuthenticationMethod":"AuthHeader","x-amz-id-2":"\#(random.hex(20))"},"requestID":"\#(random.hex(8))-\#(random.hex(4))-\#(random.hex(4))-\#(random.hex(4))-\#(random.hex(12))","eventID":"\#(random.hex(8))-\#(random.hex(4))-\#(random.hex(4))-\#(random.hex(4))-\#(random.hex(12))","readOnly":\#(readOnly),\#(resources)"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"\#(account)","eventCategory":"Management",\#(tls)}"#
    }

    /// A `{"Records":[…]}` document of `count` events starting at `time` (all of `account` when given,
    /// as a trail's file under the account's S3 prefix holds).
    public mutating func document(count: Int, startingAt time: Int64, account: String? = nil) -> [UInt8] {
        var out = Array(#"{"Records":["#.utf8)
        out.reserveCapacity(count * 1500)
        for i in 0..<count {
            if i > 0 { out.append(0x2C) }
            out += event(at: time + Int64(i / 10), account: account).utf8
        }
        out += Array("]}".utf8)
        return out
    }
}
