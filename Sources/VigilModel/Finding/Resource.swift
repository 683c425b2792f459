/// The AWS resource a finding is about (botocore's `Resource`).
public struct Resource: Codable, Hashable, Sendable {
    public var accessKeyDetails: AccessKeyDetails?
    public var s3BucketDetails: [S3BucketDetail]?
    public var instanceDetails: InstanceDetails?
    /// `AccessKey`, `Instance`, `S3Bucket`, …
    public var resourceType: String?

    public init(accessKeyDetails: AccessKeyDetails? = nil, s3BucketDetails: [S3BucketDetail]? = nil,
                instanceDetails: InstanceDetails? = nil, resourceType: String? = nil) {
        self.accessKeyDetails = accessKeyDetails
        self.s3BucketDetails = s3BucketDetails
        self.instanceDetails = instanceDetails
        self.resourceType = resourceType
    }
}

/// The credentials behind an API call (botocore's `AccessKeyDetails`).
public struct AccessKeyDetails: Codable, Hashable, Sendable {
    public var accessKeyId: String?
    public var principalId: String?
    public var userName: String?
    /// `Root`, `IAMUser`, `AssumedRole`, `FederatedUser`, …
    public var userType: String?

    public init(accessKeyId: String? = nil, principalId: String? = nil, userName: String? = nil, userType: String? = nil) {
        self.accessKeyId = accessKeyId
        self.principalId = principalId
        self.userName = userName
        self.userType = userType
    }
}

/// An S3 bucket (botocore's `S3BucketDetail`).
public struct S3BucketDetail: Codable, Hashable, Sendable {
    public var arn: String?
    public var name: String?
    /// `Destination` or `Source`.
    public var type: String?
    /// Seconds since the epoch (a botocore `timestamp`).
    public var createdAt: Double?
    public var owner: Owner?
    public var tags: [Tag]?
    public var defaultServerSideEncryption: DefaultServerSideEncryption?
    public var publicAccess: PublicAccess?
    public var s3ObjectDetails: [S3ObjectDetail]?

    public init(arn: String? = nil, name: String? = nil, type: String? = nil, createdAt: Double? = nil,
                owner: Owner? = nil, tags: [Tag]? = nil,
                defaultServerSideEncryption: DefaultServerSideEncryption? = nil,
                publicAccess: PublicAccess? = nil, s3ObjectDetails: [S3ObjectDetail]? = nil) {
        self.arn = arn
        self.name = name
        self.type = type
        self.createdAt = createdAt
        self.owner = owner
        self.tags = tags
        self.defaultServerSideEncryption = defaultServerSideEncryption
        self.publicAccess = publicAccess
        self.s3ObjectDetails = s3ObjectDetails
    }
}

public struct Owner: Codable, Hashable, Sendable {
    public var id: String?
    public init(id: String?) { self.id = id }
}

public struct DefaultServerSideEncryption: Codable, Hashable, Sendable {
    public var encryptionType: String?
    public var kmsMasterKeyArn: String?
    public init(encryptionType: String? = nil, kmsMasterKeyArn: String? = nil) {
        self.encryptionType = encryptionType
        self.kmsMasterKeyArn = kmsMasterKeyArn
    }
}

public struct S3ObjectDetail: Codable, Hashable, Sendable {
    public var objectArn: String?
    public var key: String?
    public var eTag: String?
    public var hash: String?
    public var versionId: String?
    public init(objectArn: String? = nil, key: String? = nil, eTag: String? = nil, hash: String? = nil, versionId: String? = nil) {
        self.objectArn = objectArn
        self.key = key
        self.eTag = eTag
        self.hash = hash
        self.versionId = versionId
    }
}

/// A bucket's public exposure (botocore's `PublicAccess`).
public struct PublicAccess: Codable, Hashable, Sendable {
    public var permissionConfiguration: PermissionConfiguration?
    /// `PUBLIC` or `NOT_PUBLIC`.
    public var effectivePermission: String?
    public init(permissionConfiguration: PermissionConfiguration? = nil, effectivePermission: String? = nil) {
        self.permissionConfiguration = permissionConfiguration
        self.effectivePermission = effectivePermission
    }
}

public struct PermissionConfiguration: Codable, Hashable, Sendable {
    public var bucketLevelPermissions: BucketLevelPermissions?
    public var accountLevelPermissions: AccountLevelPermissions?
    public init(bucketLevelPermissions: BucketLevelPermissions? = nil, accountLevelPermissions: AccountLevelPermissions? = nil) {
        self.bucketLevelPermissions = bucketLevelPermissions
        self.accountLevelPermissions = accountLevelPermissions
    }
}

public struct BucketLevelPermissions: Codable, Hashable, Sendable {
    public var accessControlList: AccessControlList?
    public var bucketPolicy: BucketPolicy?
    public var blockPublicAccess: BlockPublicAccess?
    public init(accessControlList: AccessControlList? = nil, bucketPolicy: BucketPolicy? = nil, blockPublicAccess: BlockPublicAccess? = nil) {
        self.accessControlList = accessControlList
        self.bucketPolicy = bucketPolicy
        self.blockPublicAccess = blockPublicAccess
    }
}

public struct AccountLevelPermissions: Codable, Hashable, Sendable {
    public var blockPublicAccess: BlockPublicAccess?
    public init(blockPublicAccess: BlockPublicAccess? = nil) { self.blockPublicAccess = blockPublicAccess }
}

public struct AccessControlList: Codable, Hashable, Sendable {
    public var allowsPublicReadAccess: Bool?
    public var allowsPublicWriteAccess: Bool?
    public init(allowsPublicReadAccess: Bool? = nil, allowsPublicWriteAccess: Bool? = nil) {
        self.allowsPublicReadAccess = allowsPublicReadAccess
        self.allowsPublicWriteAccess = allowsPublicWriteAccess
    }
}

public struct BucketPolicy: Codable, Hashable, Sendable {
    public var allowsPublicReadAccess: Bool?
    public var allowsPublicWriteAccess: Bool?
    public init(allowsPublicReadAccess: Bool? = nil, allowsPublicWriteAccess: Bool? = nil) {
        self.allowsPublicReadAccess = allowsPublicReadAccess
        self.allowsPublicWriteAccess = allowsPublicWriteAccess
    }
}

/// S3 Block Public Access settings; `nil` members were not stated by the event.
public struct BlockPublicAccess: Codable, Hashable, Sendable {
    public var ignorePublicAcls: Bool?
    public var restrictPublicBuckets: Bool?
    public var blockPublicAcls: Bool?
    public var blockPublicPolicy: Bool?
    public init(ignorePublicAcls: Bool? = nil, restrictPublicBuckets: Bool? = nil, blockPublicAcls: Bool? = nil, blockPublicPolicy: Bool? = nil) {
        self.ignorePublicAcls = ignorePublicAcls
        self.restrictPublicBuckets = restrictPublicBuckets
        self.blockPublicAcls = blockPublicAcls
        self.blockPublicPolicy = blockPublicPolicy
    }
}

/// An EC2 instance (botocore's `InstanceDetails`).
public struct InstanceDetails: Codable, Hashable, Sendable {
    public var availabilityZone: String?
    public var iamInstanceProfile: IamInstanceProfile?
    public var imageDescription: String?
    public var imageId: String?
    public var instanceId: String?
    public var instanceState: String?
    public var instanceType: String?
    public var outpostArn: String?
    public var launchTime: String?
    public var networkInterfaces: [NetworkInterface]?
    public var platform: String?
    public var productCodes: [ProductCode]?
    public var tags: [Tag]?

    public init(availabilityZone: String? = nil, iamInstanceProfile: IamInstanceProfile? = nil,
                imageDescription: String? = nil, imageId: String? = nil, instanceId: String? = nil,
                instanceState: String? = nil, instanceType: String? = nil, outpostArn: String? = nil,
                launchTime: String? = nil, networkInterfaces: [NetworkInterface]? = nil,
                platform: String? = nil, productCodes: [ProductCode]? = nil, tags: [Tag]? = nil) {
        self.availabilityZone = availabilityZone
        self.iamInstanceProfile = iamInstanceProfile
        self.imageDescription = imageDescription
        self.imageId = imageId
        self.instanceId = instanceId
        self.instanceState = instanceState
        self.instanceType = instanceType
        self.outpostArn = outpostArn
        self.launchTime = launchTime
        self.networkInterfaces = networkInterfaces
        self.platform = platform
        self.productCodes = productCodes
        self.tags = tags
    }
}

public struct IamInstanceProfile: Codable, Hashable, Sendable {
    public var arn: String?
    public var id: String?
    public init(arn: String? = nil, id: String? = nil) {
        self.arn = arn
        self.id = id
    }
}

/// A product code; its wire names differ from its member names (`productCodeId`, `productCodeType`).
public struct ProductCode: Codable, Hashable, Sendable {
    public var code: String?
    public var productType: String?
    public init(code: String? = nil, productType: String? = nil) {
        self.code = code
        self.productType = productType
    }
    enum CodingKeys: String, CodingKey {
        case code = "productCodeId"
        case productType = "productCodeType"
    }
}

/// An elastic network interface (botocore's `NetworkInterface`).
public struct NetworkInterface: Codable, Hashable, Sendable {
    public var ipv6Addresses: [String]?
    public var networkInterfaceId: String?
    public var privateDnsName: String?
    public var privateIpAddress: String?
    public var privateIpAddresses: [PrivateIpAddressDetails]?
    public var publicDnsName: String?
    public var publicIp: String?
    public var securityGroups: [SecurityGroup]?
    public var subnetId: String?
    public var vpcId: String?

    public init(ipv6Addresses: [String]? = nil, networkInterfaceId: String? = nil, privateDnsName: String? = nil,
                privateIpAddress: String? = nil, privateIpAddresses: [PrivateIpAddressDetails]? = nil,
                publicDnsName: String? = nil, publicIp: String? = nil, securityGroups: [SecurityGroup]? = nil,
                subnetId: String? = nil, vpcId: String? = nil) {
        self.ipv6Addresses = ipv6Addresses
        self.networkInterfaceId = networkInterfaceId
        self.privateDnsName = privateDnsName
        self.privateIpAddress = privateIpAddress
        self.privateIpAddresses = privateIpAddresses
        self.publicDnsName = publicDnsName
        self.publicIp = publicIp
        self.securityGroups = securityGroups
        self.subnetId = subnetId
        self.vpcId = vpcId
    }
}

public struct PrivateIpAddressDetails: Codable, Hashable, Sendable {
    public var privateDnsName: String?
    public var privateIpAddress: String?
    public init(privateDnsName: String? = nil, privateIpAddress: String? = nil) {
        self.privateDnsName = privateDnsName
        self.privateIpAddress = privateIpAddress
    }
}

public struct SecurityGroup: Codable, Hashable, Sendable {
    public var groupId: String?
    public var groupName: String?
    public init(groupId: String? = nil, groupName: String? = nil) {
        self.groupId = groupId
        self.groupName = groupName
    }
}
