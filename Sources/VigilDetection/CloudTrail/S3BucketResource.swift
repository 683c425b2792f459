import VigilModel

extension CloudTrailContext {
    /// A resource naming a bucket and the credentials that changed it (`resourceType` `S3Bucket`).
    func bucketResource(_ bucket: String, publicAccess: PublicAccess? = nil) -> Resource {
        Resource(
            accessKeyDetails: accessKeyDetails,
            s3BucketDetails: [S3BucketDetail(arn: "arn:aws:s3:::\(bucket)", name: bucket, type: "Destination",
                                             owner: Owner(id: accountId), publicAccess: publicAccess)],
            resourceType: "S3Bucket")
    }
}

/// Reads S3 Block Public Access settings from `requestParameters`.
enum BlockPublicAccessSettings {
    /// The four settings, or `nil` when the parameters state none of them.
    static func read(_ parameters: JSONTree) -> BlockPublicAccess? {
        guard let configuration = parameters.find("PublicAccessBlockConfiguration") ?? parameters.find("publicAccessBlock"),
              case .object = configuration else { return nil }
        let settings = BlockPublicAccess(
            ignorePublicAcls: configuration["IgnorePublicAcls"]?.boolValue,
            restrictPublicBuckets: configuration["RestrictPublicBuckets"]?.boolValue,
            blockPublicAcls: configuration["BlockPublicAcls"]?.boolValue,
            blockPublicPolicy: configuration["BlockPublicPolicy"]?.boolValue)
        let stated = [settings.ignorePublicAcls, settings.restrictPublicBuckets, settings.blockPublicAcls, settings.blockPublicPolicy]
        return stated.allSatisfy({ $0 == nil }) ? nil : settings
    }

    /// The settings turned off, by name. An unstated setting is off (S3 treats it as `false`).
    static func disabled(_ settings: BlockPublicAccess) -> [String] {
        var off: [String] = []
        if settings.blockPublicAcls != true { off.append("BlockPublicAcls") }
        if settings.ignorePublicAcls != true { off.append("IgnorePublicAcls") }
        if settings.blockPublicPolicy != true { off.append("BlockPublicPolicy") }
        if settings.restrictPublicBuckets != true { off.append("RestrictPublicBuckets") }
        return off
    }
}
