import VigilModel

/// The MITRE ATT&CK tactic an AWS API serves when an attacker calls it — the part of an
/// `…:IAMUser/AnomalousBehavior` finding type before the colon.
///
/// The table is Vigil's own (GuardDuty does not publish one) and is documented in the README. An API
/// that is not in it still shapes the profiles, but an anomalous call of it raises nothing: it
/// reads or changes nothing an attacker is after (`DescribeRegions`, `GetConsoleScreenshot`, …).
public enum APITactic: String, CaseIterable, Sendable, Codable {
    case discovery = "Discovery"
    case persistence = "Persistence"
    case privilegeEscalation = "PrivilegeEscalation"
    case credentialAccess = "CredentialAccess"
    case defenseEvasion = "DefenseEvasion"
    case exfiltration = "Exfiltration"
    case impact = "Impact"
    case initialAccess = "InitialAccess"

    /// The finding type of an anomalous call of this tactic.
    public var findingType: FindingType {
        switch self {
        case .discovery: .discoveryIAMUserAnomalousBehavior
        case .persistence: .persistenceIAMUserAnomalousBehavior
        case .privilegeEscalation: .privilegeEscalationIAMUserAnomalousBehavior
        case .credentialAccess: .credentialAccessIAMUserAnomalousBehavior
        case .defenseEvasion: .defenseEvasionIAMUserAnomalousBehavior
        case .exfiltration: .exfiltrationIAMUserAnomalousBehavior
        case .impact: .impactIAMUserAnomalousBehavior
        case .initialAccess: .initialAccessIAMUserAnomalousBehavior
        }
    }

    /// The tactic of an API, by its `eventName`; `nil` when the API is not in the table.
    ///
    /// Named APIs come first; then the discovery prefixes (`List…`, `Describe…`, and `Get…` of
    /// configuration and policies), which cover the hundreds of read-only calls an intruder uses to
    /// map an account.
    public static func of(api name: String) -> APITactic? {
        if let tactic = named[name] { return tactic }
        if name.hasPrefix("List") || name.hasPrefix("Describe") || name.hasPrefix("Search") { return .discovery }
        if name.hasPrefix("Get") {
            for marker in discoveryGetMarkers where name.contains(marker) { return .discovery }
        }
        return nil
    }

    /// `Get…` calls that reveal configuration, permissions or inventory.
    static let discoveryGetMarkers = ["Policy", "Acl", "Bucket", "Account", "Role", "User", "Group", "Trail",
                                      "Detector", "Findings", "Credential", "Authorization", "Configuration"]

    /// APIs with a tactic of their own (or a discovery API the prefixes would miss).
    static let named: [String: APITactic] = {
        var table: [String: APITactic] = [:]
        func add(_ tactic: APITactic, _ names: [String]) { for name in names { table[name] = tactic } }
        add(.discovery, ["GetCallerIdentity", "GetAccountAuthorizationDetails", "GetAccountSummary", "GenerateCredentialReport",
                         "GetCredentialReport", "SimulatePrincipalPolicy", "ScanProvisionedProducts"])
        add(.initialAccess, ["ConsoleLogin", "GetFederationToken", "GetSigninToken", "AssumeRoleWithSAML",
                             "AssumeRoleWithWebIdentity", "PasswordRecoveryRequested", "PasswordRecoveryCompleted",
                             "StartSession", "ResumeSession", "GetAuthorizationToken", "SendSSHPublicKey", "SendSerialConsoleSSHPublicKey"])
        add(.persistence, ["CreateAccessKey", "CreateUser", "CreateLoginProfile", "UpdateLoginProfile", "ImportKeyPair",
                           "CreateKeyPair", "UploadSSHPublicKey", "CreateServiceSpecificCredential", "UploadSigningCertificate",
                           "CreateVirtualMFADevice", "EnableMFADevice", "ResyncMFADevice", "CreateFunction", "UpdateFunctionCode",
                           "AddPermission", "CreateEventSourceMapping", "PutRule", "PutTargets", "CreateSAMLProvider",
                           "UpdateSAMLProvider", "CreateOpenIDConnectProvider", "ModifyInstanceAttribute",
                           "AuthorizeSecurityGroupIngress", "CreateRole", "CreateInstanceProfile", "AddRoleToInstanceProfile",
                           "RegisterTaskDefinition", "SendCommand", "CreateTrust"])
        add(.privilegeEscalation, ["AttachUserPolicy", "AttachRolePolicy", "AttachGroupPolicy", "PutUserPolicy",
                                   "PutRolePolicy", "PutGroupPolicy", "AddUserToGroup", "CreatePolicyVersion",
                                   "SetDefaultPolicyVersion", "UpdateAssumeRolePolicy", "PutUserPermissionsBoundary",
                                   "DeleteUserPermissionsBoundary", "DeleteRolePermissionsBoundary", "PassRole",
                                   "AssociateIamInstanceProfile", "ReplaceIamInstanceProfileAssociation", "CreatePolicy",
                                   "UpdateRole"])
        add(.credentialAccess, ["GetSecretValue", "BatchGetSecretValue", "GetPasswordData", "GetParameter", "GetParameters",
                                "GetParametersByPath", "GetSessionToken", "RequestCertificate", "ExportCertificate",
                                "GenerateDbAuthToken", "GetRoleCredentials", "Decrypt", "GenerateDataKey", "CreateGrant",
                                "GetKeyPolicy", "RetrieveSecret"])
        add(.defenseEvasion, ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "PutInsightSelectors",
                              "DeleteFlowLogs", "DeleteDetector", "UpdateDetector", "DisassociateFromMasterAccount",
                              "DisassociateFromAdministratorAccount", "DeleteMembers", "StopMonitoringMembers",
                              "CreateFilter", "UpdateFilter", "CreateIPSet", "UpdateIPSet", "DeleteThreatIntelSet",
                              "StopConfigurationRecorder", "DeleteConfigurationRecorder", "DeleteConfigRule",
                              "DeleteDeliveryChannel", "DisableSecurityHub", "DeleteLogGroup", "DeleteLogStream",
                              "PutRetentionPolicy", "DeleteResolverQueryLogConfig", "DisassociateResolverQueryLogConfig",
                              "PutBucketLogging", "DeleteBucketLogging", "LeaveOrganization", "DeleteAccountPasswordPolicy",
                              "DeactivateMFADevice", "DeleteVirtualMFADevice", "DisableKeyRotation", "DeleteAlarms",
                              "DisableAlarmActions", "DeleteWebACL", "DisassociateWebACL"])
        add(.exfiltration, ["ModifySnapshotAttribute", "ModifyImageAttribute", "ModifyDBSnapshotAttribute",
                            "ModifyDBClusterSnapshotAttribute", "CopySnapshot", "CopyImage", "CreateSnapshot",
                            "CreateSnapshots", "CreateImage", "CopyDBSnapshot", "CreateDBSnapshot", "StartExportTask",
                            "CreateExportTask", "PutBucketPolicy", "PutBucketAcl", "PutBucketReplication",
                            "PutObjectAcl", "DeleteBucketPublicAccessBlock", "CreateStoreImageTask",
                            "ExportImage", "SharePrincipal", "PutResourcePolicy", "ShareDirectory"])
        add(.impact, ["RunInstances", "StartInstances", "StopInstances", "TerminateInstances", "RequestSpotInstances",
                      "RequestSpotFleet", "CreateFleet", "CreateCluster", "CreateComputeEnvironment", "UpdateAutoScalingGroup",
                      "CreateAutoScalingGroup", "CreateLaunchTemplate", "DeleteBucket", "PutBucketVersioning",
                      "PutBucketLifecycle", "PutBucketLifecycleConfiguration", "DeleteDBInstance", "DeleteDBCluster",
                      "ModifyDBInstance", "DeleteSnapshot", "DeleteVolume", "DetachVolume", "DeleteSecret",
                      "ScheduleKeyDeletion", "DisableKey", "PutKeyPolicy", "DeleteUser", "DeleteRole", "DeleteAccessKey",
                      "UpdateAccessKey", "DeleteLoginProfile", "DeleteFunction", "DeleteStack", "DeleteTable",
                      "DeleteVpc", "DeleteSubnet", "DeleteSecurityGroup", "RevokeSecurityGroupIngress",
                      "AuthorizeSecurityGroupEgress", "ModifyVpcAttribute", "CreateVpcPeeringConnection",
                      "DeleteObject", "DeleteObjects", "PutObject", "CreateCapacityReservation", "PurchaseReservedInstancesOffering",
                      "UpdateFunctionConfiguration", "CreateNotebookInstance", "CreateTrainingJob", "CreateEndpoint"])
        return table
    }()
}
