/// The built-in CloudTrail detectors.
public enum CloudTrailDetectors {
    /// A fresh instance of every built-in CloudTrail detector.
    public static func all() -> [any CloudTrailDetector] {
        [
            CloudTrailLoggingDisabled(),
            PasswordPolicyChange(),
            S3ServerAccessLoggingDisabled(),
            S3BlockPublicAccessDisabled(),
            S3BucketPublicAccessGranted(),
            RootCredentialUsage(),
            PenTestUserAgent(),
            BedrockLoggingDisabled(),
        ]
    }
}
