import Foundation
import Testing
@testable import VigilAWS

/// The shared files and the chain's order, without the network.
@Suite struct CredentialsTests {
    static let credentialsFile = """
        # keys
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = default-secret ; comment

        [ops]
        aws_access_key_id=AKIDOPS
        aws_secret_access_key=ops-secret
        aws_session_token = ops-token
        """
    static let configFile = """
        [default]
        region = eu-west-1

        [profile ops]
        region = eu-central-1

        [profile logs]
        role_arn = arn:aws:iam::222222222222:role/vigil-read
        source_profile = ops
        external_id = x-1
        [ops-not-a-profile]
        region = nowhere
        """

    @Test func sharedFilesMergeAsTheSDKsDo() {
        let files = SharedConfigFiles(credentials: Self.credentialsFile, config: Self.configFile)
        #expect(files.value("aws_access_key_id", profile: "default") == "AKIDDEFAULT")
        #expect(files.value("aws_secret_access_key", profile: "default") == "default-secret")
        #expect(files.value("region", profile: "default") == "eu-west-1")
        #expect(files.value("region", profile: "ops") == "eu-central-1")
        #expect(files.value("aws_session_token", profile: "ops") == "ops-token")
        #expect(files.value("role_arn", profile: "logs") == "arn:aws:iam::222222222222:role/vigil-read")
        #expect(files.value("external_id", profile: "logs") == "x-1")
        #expect(files.profiles["ops-not-a-profile"] == nil)
    }

    @Test func chainPrefersTheEnvironmentThenTheProfile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-aws-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.credentialsFile.write(toFile: folder + "/credentials", atomically: true, encoding: .utf8)
        try Self.configFile.write(toFile: folder + "/config", atomically: true, encoding: .utf8)
        let files = ["AWS_SHARED_CREDENTIALS_FILE": folder + "/credentials", "AWS_CONFIG_FILE": folder + "/config",
                     "AWS_EC2_METADATA_DISABLED": "true"]
        let fromEnvironment = try await CredentialChain(environment: files.merging(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s"]) { $1 })
            .credentials()
        #expect(fromEnvironment.accessKeyId == "AKIDENV")
        let fromProfile = try await CredentialChain(environment: files.merging(["AWS_PROFILE": "ops"]) { $1 }).credentials()
        #expect(fromProfile == AWSCredentials(accessKeyId: "AKIDOPS", secretAccessKey: "ops-secret", sessionToken: "ops-token"))
        #expect(AWSRegion.resolve(environment: files.merging(["AWS_PROFILE": "ops"]) { $1 }) == "eu-central-1")
        #expect(AWSRegion.resolve(environment: files.merging(["AWS_REGION": "ap-south-1"]) { $1 }) == "ap-south-1")
        // Half a key in the environment is an error, not a silent fall-through to another identity.
        await #expect(throws: AWSError.self) {
            try await CredentialChain(environment: files.merging(["AWS_ACCESS_KEY_ID": "AKIDENV"]) { $1 }).credentials()
        }
        // Nothing configured at all (no files, no metadata): a clear error.
        await #expect(throws: AWSError.self) {
            try await CredentialChain(environment: ["HOME": folder + "/nowhere", "AWS_EC2_METADATA_DISABLED": "true"]).credentials()
        }
    }
}
