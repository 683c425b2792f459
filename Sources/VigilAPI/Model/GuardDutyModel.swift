/// GuardDuty's API model (version 2017-11-28) for every operation Vigil answers: the operations'
/// methods, URIs and input shapes with their members and constraints, as botocore's
/// `service-2.json` declares them. ``RequestValidator`` checks every request against these
/// shapes; `GuardDutyModelTests` compares them with botocore's model member by member.
public enum GuardDutyModel {
    /// Every operation Vigil answers.
    public static let operations: [APIOperation] = [
        APIOperation("CreateDetector", .post, "/detector", input: .createDetectorRequest),
        APIOperation("GetDetector", .get, "/detector/{DetectorId}", input: .getDetectorRequest),
        APIOperation("ListDetectors", .get, "/detector", input: .listDetectorsRequest),
        APIOperation("UpdateDetector", .post, "/detector/{DetectorId}", input: .updateDetectorRequest),
        APIOperation("DeleteDetector", .delete, "/detector/{DetectorId}", input: .deleteDetectorRequest),
        APIOperation("ListFindings", .post, "/detector/{DetectorId}/findings", input: .listFindingsRequest),
        APIOperation("GetFindings", .post, "/detector/{DetectorId}/findings/get", input: .getFindingsRequest),
        APIOperation("ArchiveFindings", .post, "/detector/{DetectorId}/findings/archive", input: .archiveFindingsRequest),
        APIOperation("UnarchiveFindings", .post, "/detector/{DetectorId}/findings/unarchive", input: .unarchiveFindingsRequest),
        APIOperation("GetFindingsStatistics", .post, "/detector/{DetectorId}/findings/statistics", input: .getFindingsStatisticsRequest),
        APIOperation("UpdateFindingsFeedback", .post, "/detector/{DetectorId}/findings/feedback", input: .updateFindingsFeedbackRequest),
        APIOperation("CreateSampleFindings", .post, "/detector/{DetectorId}/findings/create", input: .createSampleFindingsRequest),
        APIOperation("CreateFilter", .post, "/detector/{DetectorId}/filter", input: .createFilterRequest),
        APIOperation("GetFilter", .get, "/detector/{DetectorId}/filter/{FilterName}", input: .getFilterRequest),
        APIOperation("ListFilters", .get, "/detector/{DetectorId}/filter", input: .listFiltersRequest),
        APIOperation("UpdateFilter", .post, "/detector/{DetectorId}/filter/{FilterName}", input: .updateFilterRequest),
        APIOperation("DeleteFilter", .delete, "/detector/{DetectorId}/filter/{FilterName}", input: .deleteFilterRequest),
        APIOperation("GetUsageStatistics", .post, "/detector/{DetectorId}/usage/statistics", input: .getUsageStatisticsRequest),
        APIOperation("TagResource", .post, "/tags/{ResourceArn}", input: .tagResourceRequest),
        APIOperation("UntagResource", .delete, "/tags/{ResourceArn}", input: .untagResourceRequest),
        APIOperation("ListTagsForResource", .get, "/tags/{ResourceArn}", input: .listTagsForResourceRequest),
        APIOperation("CreateIPSet", .post, "/detector/{DetectorId}/ipset", input: .createIPSetRequest),
        APIOperation("GetIPSet", .get, "/detector/{DetectorId}/ipset/{IpSetId}", input: .getIPSetRequest),
        APIOperation("ListIPSets", .get, "/detector/{DetectorId}/ipset", input: .listIPSetsRequest),
        APIOperation("UpdateIPSet", .post, "/detector/{DetectorId}/ipset/{IpSetId}", input: .updateIPSetRequest),
        APIOperation("DeleteIPSet", .delete, "/detector/{DetectorId}/ipset/{IpSetId}", input: .deleteIPSetRequest),
        APIOperation("CreateThreatIntelSet", .post, "/detector/{DetectorId}/threatintelset", input: .createThreatIntelSetRequest),
        APIOperation("GetThreatIntelSet", .get, "/detector/{DetectorId}/threatintelset/{ThreatIntelSetId}", input: .getThreatIntelSetRequest),
        APIOperation("ListThreatIntelSets", .get, "/detector/{DetectorId}/threatintelset", input: .listThreatIntelSetsRequest),
        APIOperation("UpdateThreatIntelSet", .post, "/detector/{DetectorId}/threatintelset/{ThreatIntelSetId}", input: .updateThreatIntelSetRequest),
        APIOperation("DeleteThreatIntelSet", .delete, "/detector/{DetectorId}/threatintelset/{ThreatIntelSetId}", input: .deleteThreatIntelSetRequest),
        APIOperation("CreateThreatEntitySet", .post, "/detector/{DetectorId}/threatentityset", input: .createThreatEntitySetRequest),
        APIOperation("GetThreatEntitySet", .get, "/detector/{DetectorId}/threatentityset/{ThreatEntitySetId}", input: .getThreatEntitySetRequest),
        APIOperation("ListThreatEntitySets", .get, "/detector/{DetectorId}/threatentityset", input: .listThreatEntitySetsRequest),
        APIOperation("UpdateThreatEntitySet", .post, "/detector/{DetectorId}/threatentityset/{ThreatEntitySetId}", input: .updateThreatEntitySetRequest),
        APIOperation("DeleteThreatEntitySet", .delete, "/detector/{DetectorId}/threatentityset/{ThreatEntitySetId}", input: .deleteThreatEntitySetRequest),
        APIOperation("CreateTrustedEntitySet", .post, "/detector/{DetectorId}/trustedentityset", input: .createTrustedEntitySetRequest),
        APIOperation("GetTrustedEntitySet", .get, "/detector/{DetectorId}/trustedentityset/{TrustedEntitySetId}", input: .getTrustedEntitySetRequest),
        APIOperation("ListTrustedEntitySets", .get, "/detector/{DetectorId}/trustedentityset", input: .listTrustedEntitySetsRequest),
        APIOperation("UpdateTrustedEntitySet", .post, "/detector/{DetectorId}/trustedentityset/{TrustedEntitySetId}", input: .updateTrustedEntitySetRequest),
        APIOperation("DeleteTrustedEntitySet", .delete, "/detector/{DetectorId}/trustedentityset/{TrustedEntitySetId}", input: .deleteTrustedEntitySetRequest),
        APIOperation("CreatePublishingDestination", .post, "/detector/{DetectorId}/publishingDestination", input: .createPublishingDestinationRequest),
        APIOperation("DescribePublishingDestination", .get, "/detector/{DetectorId}/publishingDestination/{DestinationId}", input: .describePublishingDestinationRequest),
        APIOperation("ListPublishingDestinations", .get, "/detector/{DetectorId}/publishingDestination", input: .listPublishingDestinationsRequest),
        APIOperation("UpdatePublishingDestination", .post, "/detector/{DetectorId}/publishingDestination/{DestinationId}", input: .updatePublishingDestinationRequest),
        APIOperation("DeletePublishingDestination", .delete, "/detector/{DetectorId}/publishingDestination/{DestinationId}", input: .deletePublishingDestinationRequest),
        APIOperation("CreateMembers", .post, "/detector/{DetectorId}/member", input: .createMembersRequest),
        APIOperation("InviteMembers", .post, "/detector/{DetectorId}/member/invite", input: .inviteMembersRequest),
        APIOperation("GetMembers", .post, "/detector/{DetectorId}/member/get", input: .getMembersRequest),
        APIOperation("ListMembers", .get, "/detector/{DetectorId}/member", input: .listMembersRequest),
        APIOperation("DisassociateMembers", .post, "/detector/{DetectorId}/member/disassociate", input: .disassociateMembersRequest),
        APIOperation("DeleteMembers", .post, "/detector/{DetectorId}/member/delete", input: .deleteMembersRequest),
        APIOperation("StartMonitoringMembers", .post, "/detector/{DetectorId}/member/start", input: .startMonitoringMembersRequest),
        APIOperation("StopMonitoringMembers", .post, "/detector/{DetectorId}/member/stop", input: .stopMonitoringMembersRequest),
        APIOperation("ListInvitations", .get, "/invitation", input: .listInvitationsRequest),
        APIOperation("GetInvitationsCount", .get, "/invitation/count", input: .getInvitationsCountRequest),
        APIOperation("DeclineInvitations", .post, "/invitation/decline", input: .declineInvitationsRequest),
        APIOperation("DeleteInvitations", .post, "/invitation/delete", input: .deleteInvitationsRequest),
        APIOperation("AcceptAdministratorInvitation", .post, "/detector/{DetectorId}/administrator", input: .acceptAdministratorInvitationRequest),
        APIOperation("GetAdministratorAccount", .get, "/detector/{DetectorId}/administrator", input: .getAdministratorAccountRequest),
        APIOperation("DisassociateFromAdministratorAccount", .post, "/detector/{DetectorId}/administrator/disassociate", input: .disassociateFromAdministratorAccountRequest),
        APIOperation("AcceptInvitation", .post, "/detector/{DetectorId}/master", input: .acceptInvitationRequest),
        APIOperation("GetMasterAccount", .get, "/detector/{DetectorId}/master", input: .getMasterAccountRequest),
        APIOperation("DisassociateFromMasterAccount", .post, "/detector/{DetectorId}/master/disassociate", input: .disassociateFromMasterAccountRequest),
        APIOperation("EnableOrganizationAdminAccount", .post, "/admin/enable", input: .enableOrganizationAdminAccountRequest),
        APIOperation("DisableOrganizationAdminAccount", .post, "/admin/disable", input: .disableOrganizationAdminAccountRequest),
        APIOperation("ListOrganizationAdminAccounts", .get, "/admin", input: .listOrganizationAdminAccountsRequest),
        APIOperation("DescribeOrganizationConfiguration", .get, "/detector/{DetectorId}/admin", input: .describeOrganizationConfigurationRequest),
        APIOperation("UpdateOrganizationConfiguration", .post, "/detector/{DetectorId}/admin", input: .updateOrganizationConfigurationRequest),
        APIOperation("GetMemberDetectors", .post, "/detector/{DetectorId}/member/detector/get", input: .getMemberDetectorsRequest),
        APIOperation("UpdateMemberDetectors", .post, "/detector/{DetectorId}/member/detector/update", input: .updateMemberDetectorsRequest),
        APIOperation("ListCoverage", .post, "/detector/{DetectorId}/coverage", input: .listCoverageRequest),
        APIOperation("GetCoverageStatistics", .post, "/detector/{DetectorId}/coverage/statistics", input: .getCoverageStatisticsRequest),
        APIOperation("GetOrganizationStatistics", .get, "/organization/statistics", input: .noInput),
    ]

    /// The operation of `name`.
    public static func operation(_ name: String) -> APIOperation? { operations.first { $0.name == name } }
}

/// The input shapes, named after the model's shapes.
extension APIShape {
    static let booleanShape: APIShape = .boolean("Boolean")
    static let clientToken: APIShape = .string("ClientToken", min: 0, max: 64)
    static let findingPublishingFrequency: APIShape = .string("FindingPublishingFrequency", oneOf: ["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"])
    static let s3LogsConfiguration: APIShape = .structure("S3LogsConfiguration", [
        .init("Enable", .booleanShape, "enable", required: true),
    ])
    static let kubernetesAuditLogsConfiguration: APIShape = .structure("KubernetesAuditLogsConfiguration", [
        .init("Enable", .booleanShape, "enable", required: true),
    ])
    static let kubernetesConfiguration: APIShape = .structure("KubernetesConfiguration", [
        .init("AuditLogs", .kubernetesAuditLogsConfiguration, "auditLogs", required: true),
    ])
    static let scanEc2InstanceWithFindings: APIShape = .structure("ScanEc2InstanceWithFindings", [
        .init("EbsVolumes", .booleanShape, "ebsVolumes"),
    ])
    static let malwareProtectionConfiguration: APIShape = .structure("MalwareProtectionConfiguration", [
        .init("ScanEc2InstanceWithFindings", .scanEc2InstanceWithFindings, "scanEc2InstanceWithFindings"),
    ])
    static let dataSourceConfigurations: APIShape = .structure("DataSourceConfigurations", [
        .init("S3Logs", .s3LogsConfiguration, "s3Logs"),
        .init("Kubernetes", .kubernetesConfiguration, "kubernetes"),
        .init("MalwareProtection", .malwareProtectionConfiguration, "malwareProtection"),
    ])
    static let tagKey: APIShape = .string("TagKey", min: 1, max: 128, pattern: #"(?!aws:)[a-zA-Z+-=._:/]+"#)
    static let tagValue: APIShape = .string("TagValue", min: 0, max: 256)
    static let tagMap: APIShape = .map("TagMap", key: .tagKey, value: .tagValue, min: 1, max: 200)
    static let detectorFeature: APIShape = .string("DetectorFeature", oneOf: ["S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS", "EKS_RUNTIME_MONITORING", "RUNTIME_MONITORING"])
    static let featureStatus: APIShape = .string("FeatureStatus", oneOf: ["ENABLED", "DISABLED"])
    static let featureAdditionalConfiguration: APIShape = .string("FeatureAdditionalConfiguration", oneOf: ["EKS_ADDON_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT"])
    static let detectorAdditionalConfiguration: APIShape = .structure("DetectorAdditionalConfiguration", [
        .init("Name", .featureAdditionalConfiguration, "name"),
        .init("Status", .featureStatus, "status"),
    ])
    static let detectorAdditionalConfigurations: APIShape = .list("DetectorAdditionalConfigurations", of: .detectorAdditionalConfiguration)
    static let detectorFeatureConfiguration: APIShape = .structure("DetectorFeatureConfiguration", [
        .init("Name", .detectorFeature, "name"),
        .init("Status", .featureStatus, "status"),
        .init("AdditionalConfiguration", .detectorAdditionalConfigurations, "additionalConfiguration"),
    ])
    static let detectorFeatureConfigurations: APIShape = .list("DetectorFeatureConfigurations", of: .detectorFeatureConfiguration)
    static let createDetectorRequest: APIShape = .structure("CreateDetectorRequest", [
        .init("Enable", .booleanShape, "enable", required: true),
        .init("ClientToken", .clientToken, "clientToken"),
        .init("FindingPublishingFrequency", .findingPublishingFrequency, "findingPublishingFrequency"),
        .init("DataSources", .dataSourceConfigurations, "dataSources"),
        .init("Tags", .tagMap, "tags"),
        .init("Features", .detectorFeatureConfigurations, "features"),
    ])
    static let detectorId: APIShape = .string("DetectorId", min: 1, max: 300)
    static let getDetectorRequest: APIShape = .structure("GetDetectorRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
    ])
    static let maxResults: APIShape = .integer("MaxResults", min: 1, max: 50)
    static let stringShape: APIShape = .string("String")
    static let listDetectorsRequest: APIShape = .structure("ListDetectorsRequest", [
        .init("MaxResults", .maxResults, query: "maxResults"),
        .init("NextToken", .stringShape, query: "nextToken"),
    ])
    static let updateDetectorRequest: APIShape = .structure("UpdateDetectorRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("Enable", .booleanShape, "enable"),
        .init("FindingPublishingFrequency", .findingPublishingFrequency, "findingPublishingFrequency"),
        .init("DataSources", .dataSourceConfigurations, "dataSources"),
        .init("Features", .detectorFeatureConfigurations, "features"),
    ])
    static let deleteDetectorRequest: APIShape = .structure("DeleteDetectorRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
    ])
    static let eq: APIShape = .list("Eq", of: .stringShape)
    static let neq: APIShape = .list("Neq", of: .stringShape)
    static let integerShape: APIShape = .integer("Integer")
    static let equals: APIShape = .list("Equals", of: .stringShape)
    static let notEquals: APIShape = .list("NotEquals", of: .stringShape)
    static let longShape: APIShape = .long("Long")
    static let match: APIShape = .string("Match", min: 1, max: 512)
    static let matches: APIShape = .list("Matches", of: .match, min: 0, max: 5)
    static let notMatch: APIShape = .string("NotMatch", min: 1, max: 512)
    static let notMatches: APIShape = .list("NotMatches", of: .notMatch, min: 0, max: 5)
    static let condition: APIShape = .structure("Condition", [
        .init("Eq", .eq, "eq"),
        .init("Neq", .neq, "neq"),
        .init("Gt", .integerShape, "gt"),
        .init("Gte", .integerShape, "gte"),
        .init("Lt", .integerShape, "lt"),
        .init("Lte", .integerShape, "lte"),
        .init("Equals", .equals, "equals"),
        .init("NotEquals", .notEquals, "notEquals"),
        .init("GreaterThan", .longShape, "greaterThan"),
        .init("GreaterThanOrEqual", .longShape, "greaterThanOrEqual"),
        .init("LessThan", .longShape, "lessThan"),
        .init("LessThanOrEqual", .longShape, "lessThanOrEqual"),
        .init("Matches", .matches, "matches"),
        .init("NotMatches", .notMatches, "notMatches"),
    ])
    static let criterion: APIShape = .map("Criterion", key: .stringShape, value: .condition)
    static let findingCriteria: APIShape = .structure("FindingCriteria", [
        .init("Criterion", .criterion, "criterion"),
    ])
    static let orderBy: APIShape = .string("OrderBy", oneOf: ["ASC", "DESC"])
    static let sortCriteria: APIShape = .structure("SortCriteria", [
        .init("AttributeName", .stringShape, "attributeName"),
        .init("OrderBy", .orderBy, "orderBy"),
    ])
    static let listFindingsRequest: APIShape = .structure("ListFindingsRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("FindingCriteria", .findingCriteria, "findingCriteria"),
        .init("SortCriteria", .sortCriteria, "sortCriteria"),
        .init("MaxResults", .maxResults, "maxResults"),
        .init("NextToken", .stringShape, "nextToken"),
    ])
    static let findingId: APIShape = .string("FindingId", min: 1, max: 300)
    static let findingIds: APIShape = .list("FindingIds", of: .findingId, min: 0, max: 50)
    static let getFindingsRequest: APIShape = .structure("GetFindingsRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("FindingIds", .findingIds, "findingIds", required: true),
        .init("SortCriteria", .sortCriteria, "sortCriteria"),
    ])
    static let archiveFindingsRequest: APIShape = .structure("ArchiveFindingsRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("FindingIds", .findingIds, "findingIds", required: true),
    ])
    static let unarchiveFindingsRequest: APIShape = .structure("UnarchiveFindingsRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("FindingIds", .findingIds, "findingIds", required: true),
    ])
    static let findingStatisticType: APIShape = .string("FindingStatisticType", oneOf: ["COUNT_BY_SEVERITY"])
    static let findingStatisticTypes: APIShape = .list("FindingStatisticTypes", of: .findingStatisticType, min: 0, max: 10)
    static let groupByType: APIShape = .string("GroupByType", oneOf: ["ACCOUNT", "DATE", "FINDING_TYPE", "RESOURCE", "SEVERITY"])
    static let maxResults100: APIShape = .integer("MaxResults100", min: 1, max: 100)
    static let getFindingsStatisticsRequest: APIShape = .structure("GetFindingsStatisticsRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("FindingStatisticTypes", .findingStatisticTypes, "findingStatisticTypes"),
        .init("FindingCriteria", .findingCriteria, "findingCriteria"),
        .init("GroupBy", .groupByType, "groupBy"),
        .init("OrderBy", .orderBy, "orderBy"),
        .init("MaxResults", .maxResults100, "maxResults"),
    ])
    static let feedback: APIShape = .string("Feedback", oneOf: ["USEFUL", "NOT_USEFUL"])
    static let sensitiveString: APIShape = .string("SensitiveString")
    static let updateFindingsFeedbackRequest: APIShape = .structure("UpdateFindingsFeedbackRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("FindingIds", .findingIds, "findingIds", required: true),
        .init("Feedback", .feedback, "feedback", required: true),
        .init("Comments", .sensitiveString, "comments"),
    ])
    static let findingType: APIShape = .string("FindingType", min: 1, max: 100)
    static let findingTypes: APIShape = .list("FindingTypes", of: .findingType, min: 0, max: 50)
    static let createSampleFindingsRequest: APIShape = .structure("CreateSampleFindingsRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("FindingTypes", .findingTypes, "findingTypes"),
    ])
    static let filterName: APIShape = .string("FilterName", min: 3, max: 64)
    static let filterDescription: APIShape = .string("FilterDescription", min: 0, max: 512)
    static let filterAction: APIShape = .string("FilterAction", min: 1, max: 300, oneOf: ["NOOP", "ARCHIVE"])
    static let filterRank: APIShape = .integer("FilterRank", min: 1, max: 100)
    static let createFilterRequest: APIShape = .structure("CreateFilterRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("Name", .filterName, "name", required: true),
        .init("Description", .filterDescription, "description"),
        .init("Action", .filterAction, "action"),
        .init("Rank", .filterRank, "rank"),
        .init("FindingCriteria", .findingCriteria, "findingCriteria", required: true),
        .init("ClientToken", .clientToken, "clientToken"),
        .init("Tags", .tagMap, "tags"),
    ])
    static let getFilterRequest: APIShape = .structure("GetFilterRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("FilterName", .stringShape, uri: "FilterName", required: true),
    ])
    static let listFiltersRequest: APIShape = .structure("ListFiltersRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("MaxResults", .maxResults, query: "maxResults"),
        .init("NextToken", .stringShape, query: "nextToken"),
    ])
    static let updateFilterRequest: APIShape = .structure("UpdateFilterRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("FilterName", .stringShape, uri: "FilterName", required: true),
        .init("Description", .filterDescription, "description"),
        .init("Action", .filterAction, "action"),
        .init("Rank", .filterRank, "rank"),
        .init("FindingCriteria", .findingCriteria, "findingCriteria"),
    ])
    static let deleteFilterRequest: APIShape = .structure("DeleteFilterRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("FilterName", .stringShape, uri: "FilterName", required: true),
    ])
    static let usageStatisticType: APIShape = .string("UsageStatisticType", oneOf: ["SUM_BY_ACCOUNT", "SUM_BY_DATA_SOURCE", "SUM_BY_RESOURCE", "TOP_RESOURCES", "SUM_BY_FEATURES", "TOP_ACCOUNTS_BY_FEATURE"])
    static let accountId: APIShape = .string("AccountId", min: 12, max: 12)
    static let accountIds: APIShape = .list("AccountIds", of: .accountId, min: 1, max: 50)
    static let dataSource: APIShape = .string("DataSource", oneOf: ["FLOW_LOGS", "CLOUD_TRAIL", "DNS_LOGS", "S3_LOGS", "KUBERNETES_AUDIT_LOGS", "EC2_MALWARE_SCAN"])
    static let dataSourceList: APIShape = .list("DataSourceList", of: .dataSource)
    static let resourceList: APIShape = .list("ResourceList", of: .stringShape)
    static let usageFeature: APIShape = .string("UsageFeature", oneOf: ["FLOW_LOGS", "CLOUD_TRAIL", "DNS_LOGS", "S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS", "EKS_RUNTIME_MONITORING", "EC2_RUNTIME_MONITORING", "FARGATE_RUNTIME_MONITORING", "RDS_DBI_PROTECTION_PROVISIONED", "RDS_DBI_PROTECTION_SERVERLESS"])
    static let usageFeatureList: APIShape = .list("UsageFeatureList", of: .usageFeature)
    static let usageCriteria: APIShape = .structure("UsageCriteria", [
        .init("AccountIds", .accountIds, "accountIds"),
        .init("DataSources", .dataSourceList, "dataSources"),
        .init("Resources", .resourceList, "resources"),
        .init("Features", .usageFeatureList, "features"),
    ])
    static let getUsageStatisticsRequest: APIShape = .structure("GetUsageStatisticsRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("UsageStatisticType", .usageStatisticType, "usageStatisticsType", required: true),
        .init("UsageCriteria", .usageCriteria, "usageCriteria", required: true),
        .init("Unit", .stringShape, "unit"),
        .init("MaxResults", .maxResults, "maxResults"),
        .init("NextToken", .stringShape, "nextToken"),
    ])
    static let guardDutyArn: APIShape = .string("GuardDutyArn", pattern: #"arn:[A-Za-z_.-]{1,20}:guardduty:[A-Za-z0-9_/.-]{0,63}:\d+:detector/[A-Za-z0-9_/.-]{32,264}"#)
    static let tagResourceRequest: APIShape = .structure("TagResourceRequest", [
        .init("ResourceArn", .guardDutyArn, uri: "ResourceArn", required: true),
        .init("Tags", .tagMap, "tags", required: true),
    ])
    static let tagKeyList: APIShape = .list("TagKeyList", of: .tagKey, min: 1, max: 200)
    static let untagResourceRequest: APIShape = .structure("UntagResourceRequest", [
        .init("ResourceArn", .guardDutyArn, uri: "ResourceArn", required: true),
        .init("TagKeys", .tagKeyList, query: "tagKeys", required: true),
    ])
    static let listTagsForResourceRequest: APIShape = .structure("ListTagsForResourceRequest", [
        .init("ResourceArn", .guardDutyArn, uri: "ResourceArn", required: true),
    ])
    static let name: APIShape = .string("Name", min: 1, max: 300)
    static let ipSetFormat: APIShape = .string("IpSetFormat", min: 1, max: 300, oneOf: ["TXT", "STIX", "OTX_CSV", "ALIEN_VAULT", "PROOF_POINT", "FIRE_EYE"])
    static let location: APIShape = .string("Location", min: 1, max: 300)
    static let createIPSetRequest: APIShape = .structure("CreateIPSetRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("Name", .name, "name", required: true),
        .init("Format", .ipSetFormat, "format", required: true),
        .init("Location", .location, "location", required: true),
        .init("Activate", .booleanShape, "activate", required: true),
        .init("ClientToken", .clientToken, "clientToken"),
        .init("Tags", .tagMap, "tags"),
        .init("ExpectedBucketOwner", .accountId, "expectedBucketOwner"),
    ])
    static let getIPSetRequest: APIShape = .structure("GetIPSetRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("IpSetId", .stringShape, uri: "IpSetId", required: true),
    ])
    static let listIPSetsRequest: APIShape = .structure("ListIPSetsRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("MaxResults", .maxResults, query: "maxResults"),
        .init("NextToken", .stringShape, query: "nextToken"),
    ])
    static let updateIPSetRequest: APIShape = .structure("UpdateIPSetRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("IpSetId", .stringShape, uri: "IpSetId", required: true),
        .init("Name", .name, "name"),
        .init("Location", .location, "location"),
        .init("Activate", .booleanShape, "activate"),
        .init("ExpectedBucketOwner", .accountId, "expectedBucketOwner"),
    ])
    static let deleteIPSetRequest: APIShape = .structure("DeleteIPSetRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("IpSetId", .stringShape, uri: "IpSetId", required: true),
    ])
    static let threatIntelSetFormat: APIShape = .string("ThreatIntelSetFormat", min: 1, max: 300, oneOf: ["TXT", "STIX", "OTX_CSV", "ALIEN_VAULT", "PROOF_POINT", "FIRE_EYE"])
    static let createThreatIntelSetRequest: APIShape = .structure("CreateThreatIntelSetRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("Name", .name, "name", required: true),
        .init("Format", .threatIntelSetFormat, "format", required: true),
        .init("Location", .location, "location", required: true),
        .init("Activate", .booleanShape, "activate", required: true),
        .init("ClientToken", .clientToken, "clientToken"),
        .init("Tags", .tagMap, "tags"),
        .init("ExpectedBucketOwner", .accountId, "expectedBucketOwner"),
    ])
    static let getThreatIntelSetRequest: APIShape = .structure("GetThreatIntelSetRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("ThreatIntelSetId", .stringShape, uri: "ThreatIntelSetId", required: true),
    ])
    static let listThreatIntelSetsRequest: APIShape = .structure("ListThreatIntelSetsRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("MaxResults", .maxResults, query: "maxResults"),
        .init("NextToken", .stringShape, query: "nextToken"),
    ])
    static let updateThreatIntelSetRequest: APIShape = .structure("UpdateThreatIntelSetRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("ThreatIntelSetId", .stringShape, uri: "ThreatIntelSetId", required: true),
        .init("Name", .name, "name"),
        .init("Location", .location, "location"),
        .init("Activate", .booleanShape, "activate"),
        .init("ExpectedBucketOwner", .accountId, "expectedBucketOwner"),
    ])
    static let deleteThreatIntelSetRequest: APIShape = .structure("DeleteThreatIntelSetRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("ThreatIntelSetId", .stringShape, uri: "ThreatIntelSetId", required: true),
    ])
    static let threatEntitySetFormat: APIShape = .string("ThreatEntitySetFormat", min: 1, max: 300, oneOf: ["TXT", "STIX", "OTX_CSV", "ALIEN_VAULT", "PROOF_POINT", "FIRE_EYE"])
    static let expectedBucketOwner: APIShape = .string("ExpectedBucketOwner", min: 12, max: 12, pattern: #"[0-9]+"#)
    static let createThreatEntitySetRequest: APIShape = .structure("CreateThreatEntitySetRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("Name", .name, "name", required: true),
        .init("Format", .threatEntitySetFormat, "format", required: true),
        .init("Location", .location, "location", required: true),
        .init("ExpectedBucketOwner", .expectedBucketOwner, "expectedBucketOwner"),
        .init("Activate", .booleanShape, "activate", required: true),
        .init("ClientToken", .clientToken, "clientToken"),
        .init("Tags", .tagMap, "tags"),
    ])
    static let getThreatEntitySetRequest: APIShape = .structure("GetThreatEntitySetRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("ThreatEntitySetId", .stringShape, uri: "ThreatEntitySetId", required: true),
    ])
    static let listThreatEntitySetsRequest: APIShape = .structure("ListThreatEntitySetsRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("MaxResults", .maxResults, query: "maxResults"),
        .init("NextToken", .stringShape, query: "nextToken"),
    ])
    static let updateThreatEntitySetRequest: APIShape = .structure("UpdateThreatEntitySetRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("ThreatEntitySetId", .stringShape, uri: "ThreatEntitySetId", required: true),
        .init("Name", .name, "name"),
        .init("Location", .location, "location"),
        .init("ExpectedBucketOwner", .expectedBucketOwner, "expectedBucketOwner"),
        .init("Activate", .booleanShape, "activate"),
    ])
    static let deleteThreatEntitySetRequest: APIShape = .structure("DeleteThreatEntitySetRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("ThreatEntitySetId", .stringShape, uri: "ThreatEntitySetId", required: true),
    ])
    static let trustedEntitySetFormat: APIShape = .string("TrustedEntitySetFormat", min: 1, max: 300, oneOf: ["TXT", "STIX", "OTX_CSV", "ALIEN_VAULT", "PROOF_POINT", "FIRE_EYE"])
    static let createTrustedEntitySetRequest: APIShape = .structure("CreateTrustedEntitySetRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("Name", .name, "name", required: true),
        .init("Format", .trustedEntitySetFormat, "format", required: true),
        .init("Location", .location, "location", required: true),
        .init("ExpectedBucketOwner", .expectedBucketOwner, "expectedBucketOwner"),
        .init("Activate", .booleanShape, "activate", required: true),
        .init("ClientToken", .clientToken, "clientToken"),
        .init("Tags", .tagMap, "tags"),
    ])
    static let getTrustedEntitySetRequest: APIShape = .structure("GetTrustedEntitySetRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("TrustedEntitySetId", .stringShape, uri: "TrustedEntitySetId", required: true),
    ])
    static let listTrustedEntitySetsRequest: APIShape = .structure("ListTrustedEntitySetsRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("MaxResults", .maxResults, query: "maxResults"),
        .init("NextToken", .stringShape, query: "nextToken"),
    ])
    static let updateTrustedEntitySetRequest: APIShape = .structure("UpdateTrustedEntitySetRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("TrustedEntitySetId", .stringShape, uri: "TrustedEntitySetId", required: true),
        .init("Name", .name, "name"),
        .init("Location", .location, "location"),
        .init("ExpectedBucketOwner", .expectedBucketOwner, "expectedBucketOwner"),
        .init("Activate", .booleanShape, "activate"),
    ])
    static let deleteTrustedEntitySetRequest: APIShape = .structure("DeleteTrustedEntitySetRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("TrustedEntitySetId", .stringShape, uri: "TrustedEntitySetId", required: true),
    ])
    static let destinationType: APIShape = .string("DestinationType", min: 1, max: 300, oneOf: ["S3"])
    static let destinationProperties: APIShape = .structure("DestinationProperties", [
        .init("DestinationArn", .stringShape, "destinationArn"),
        .init("KmsKeyArn", .stringShape, "kmsKeyArn"),
    ])
    static let createPublishingDestinationRequest: APIShape = .structure("CreatePublishingDestinationRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("DestinationType", .destinationType, "destinationType", required: true),
        .init("DestinationProperties", .destinationProperties, "destinationProperties", required: true),
        .init("ClientToken", .clientToken, "clientToken"),
        .init("Tags", .tagMap, "tags"),
    ])
    static let describePublishingDestinationRequest: APIShape = .structure("DescribePublishingDestinationRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("DestinationId", .stringShape, uri: "DestinationId", required: true),
    ])
    static let listPublishingDestinationsRequest: APIShape = .structure("ListPublishingDestinationsRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("MaxResults", .maxResults, query: "maxResults"),
        .init("NextToken", .stringShape, query: "nextToken"),
    ])
    static let updatePublishingDestinationRequest: APIShape = .structure("UpdatePublishingDestinationRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("DestinationId", .stringShape, uri: "DestinationId", required: true),
        .init("DestinationProperties", .destinationProperties, "destinationProperties"),
    ])
    static let deletePublishingDestinationRequest: APIShape = .structure("DeletePublishingDestinationRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("DestinationId", .stringShape, uri: "DestinationId", required: true),
    ])
    static let email: APIShape = .string("Email", min: 1, max: 64)
    static let accountDetail: APIShape = .structure("AccountDetail", [
        .init("AccountId", .accountId, "accountId", required: true),
        .init("Email", .email, "email", required: true),
    ])
    static let accountDetails: APIShape = .list("AccountDetails", of: .accountDetail, min: 1, max: 50)
    static let createMembersRequest: APIShape = .structure("CreateMembersRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("AccountDetails", .accountDetails, "accountDetails", required: true),
    ])
    static let inviteMembersRequest: APIShape = .structure("InviteMembersRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("AccountIds", .accountIds, "accountIds", required: true),
        .init("DisableEmailNotification", .booleanShape, "disableEmailNotification"),
        .init("Message", .stringShape, "message"),
    ])
    static let getMembersRequest: APIShape = .structure("GetMembersRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("AccountIds", .accountIds, "accountIds", required: true),
    ])
    static let listMembersRequest: APIShape = .structure("ListMembersRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("MaxResults", .maxResults, query: "maxResults"),
        .init("NextToken", .stringShape, query: "nextToken"),
        .init("OnlyAssociated", .stringShape, query: "onlyAssociated"),
    ])
    static let disassociateMembersRequest: APIShape = .structure("DisassociateMembersRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("AccountIds", .accountIds, "accountIds", required: true),
    ])
    static let deleteMembersRequest: APIShape = .structure("DeleteMembersRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("AccountIds", .accountIds, "accountIds", required: true),
    ])
    static let startMonitoringMembersRequest: APIShape = .structure("StartMonitoringMembersRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("AccountIds", .accountIds, "accountIds", required: true),
    ])
    static let stopMonitoringMembersRequest: APIShape = .structure("StopMonitoringMembersRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("AccountIds", .accountIds, "accountIds", required: true),
    ])
    static let listInvitationsRequest: APIShape = .structure("ListInvitationsRequest", [
        .init("MaxResults", .maxResults, query: "maxResults"),
        .init("NextToken", .stringShape, query: "nextToken"),
    ])
    static let getInvitationsCountRequest: APIShape = .structure("GetInvitationsCountRequest", [])
    static let declineInvitationsRequest: APIShape = .structure("DeclineInvitationsRequest", [
        .init("AccountIds", .accountIds, "accountIds", required: true),
    ])
    static let deleteInvitationsRequest: APIShape = .structure("DeleteInvitationsRequest", [
        .init("AccountIds", .accountIds, "accountIds", required: true),
    ])
    static let acceptAdministratorInvitationRequest: APIShape = .structure("AcceptAdministratorInvitationRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("AdministratorId", .stringShape, "administratorId", required: true),
        .init("InvitationId", .stringShape, "invitationId", required: true),
    ])
    static let getAdministratorAccountRequest: APIShape = .structure("GetAdministratorAccountRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
    ])
    static let disassociateFromAdministratorAccountRequest: APIShape = .structure("DisassociateFromAdministratorAccountRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
    ])
    static let acceptInvitationRequest: APIShape = .structure("AcceptInvitationRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("MasterId", .stringShape, "masterId", required: true),
        .init("InvitationId", .stringShape, "invitationId", required: true),
    ])
    static let getMasterAccountRequest: APIShape = .structure("GetMasterAccountRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
    ])
    static let disassociateFromMasterAccountRequest: APIShape = .structure("DisassociateFromMasterAccountRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
    ])

    // MARK: Organizations

    static let enableOrganizationAdminAccountRequest: APIShape = .structure("EnableOrganizationAdminAccountRequest", [
        .init("AdminAccountId", .stringShape, "adminAccountId", required: true),
    ])
    static let disableOrganizationAdminAccountRequest: APIShape = .structure("DisableOrganizationAdminAccountRequest", [
        .init("AdminAccountId", .stringShape, "adminAccountId", required: true),
    ])
    static let listOrganizationAdminAccountsRequest: APIShape = .structure("ListOrganizationAdminAccountsRequest", [
        .init("MaxResults", .maxResults, query: "maxResults"),
        .init("NextToken", .stringShape, query: "nextToken"),
    ])
    static let describeOrganizationConfigurationRequest: APIShape = .structure("DescribeOrganizationConfigurationRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("MaxResults", .maxResults, query: "maxResults"),
        .init("NextToken", .stringShape, query: "nextToken"),
    ])
    static let organizationS3LogsConfiguration: APIShape = .structure("OrganizationS3LogsConfiguration", [
        .init("AutoEnable", .booleanShape, "autoEnable", required: true),
    ])
    static let organizationKubernetesAuditLogsConfiguration: APIShape = .structure("OrganizationKubernetesAuditLogsConfiguration", [
        .init("AutoEnable", .booleanShape, "autoEnable", required: true),
    ])
    static let organizationKubernetesConfiguration: APIShape = .structure("OrganizationKubernetesConfiguration", [
        .init("AuditLogs", .organizationKubernetesAuditLogsConfiguration, "auditLogs", required: true),
    ])
    static let organizationEbsVolumes: APIShape = .structure("OrganizationEbsVolumes", [
        .init("AutoEnable", .booleanShape, "autoEnable"),
    ])
    static let organizationScanEc2InstanceWithFindings: APIShape = .structure("OrganizationScanEc2InstanceWithFindings", [
        .init("EbsVolumes", .organizationEbsVolumes, "ebsVolumes"),
    ])
    static let organizationMalwareProtectionConfiguration: APIShape = .structure("OrganizationMalwareProtectionConfiguration", [
        .init("ScanEc2InstanceWithFindings", .organizationScanEc2InstanceWithFindings, "scanEc2InstanceWithFindings"),
    ])
    static let organizationDataSourceConfigurations: APIShape = .structure("OrganizationDataSourceConfigurations", [
        .init("S3Logs", .organizationS3LogsConfiguration, "s3Logs"),
        .init("Kubernetes", .organizationKubernetesConfiguration, "kubernetes"),
        .init("MalwareProtection", .organizationMalwareProtectionConfiguration, "malwareProtection"),
    ])
    static let orgFeature: APIShape = .string("OrgFeature", oneOf: ["S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS",
                                                                  "LAMBDA_NETWORK_LOGS", "EKS_RUNTIME_MONITORING", "RUNTIME_MONITORING"])
    static let orgFeatureStatus: APIShape = .string("OrgFeatureStatus", oneOf: ["NEW", "NONE", "ALL"])
    static let orgFeatureAdditionalConfiguration: APIShape = .string("OrgFeatureAdditionalConfiguration",
                                                                     oneOf: ["EKS_ADDON_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT"])
    static let organizationAdditionalConfiguration: APIShape = .structure("OrganizationAdditionalConfiguration", [
        .init("Name", .orgFeatureAdditionalConfiguration, "name"),
        .init("AutoEnable", .orgFeatureStatus, "autoEnable"),
    ])
    static let organizationAdditionalConfigurations: APIShape = .list("OrganizationAdditionalConfigurations", of: .organizationAdditionalConfiguration)
    static let organizationFeatureConfiguration: APIShape = .structure("OrganizationFeatureConfiguration", [
        .init("Name", .orgFeature, "name"),
        .init("AutoEnable", .orgFeatureStatus, "autoEnable"),
        .init("AdditionalConfiguration", .organizationAdditionalConfigurations, "additionalConfiguration"),
    ])
    static let organizationFeaturesConfigurations: APIShape = .list("OrganizationFeaturesConfigurations", of: .organizationFeatureConfiguration)
    static let autoEnableMembers: APIShape = .string("AutoEnableMembers", oneOf: ["NEW", "ALL", "NONE"])
    static let updateOrganizationConfigurationRequest: APIShape = .structure("UpdateOrganizationConfigurationRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("AutoEnable", .booleanShape, "autoEnable"),
        .init("DataSources", .organizationDataSourceConfigurations, "dataSources"),
        .init("Features", .organizationFeaturesConfigurations, "features"),
        .init("AutoEnableOrganizationMembers", .autoEnableMembers, "autoEnableOrganizationMembers"),
    ])

    // MARK: Member detectors and coverage

    /// An operation that takes nothing (botocore declares no input shape).
    static let noInput: APIShape = .structure("", [])

    static let getMemberDetectorsRequest: APIShape = .structure("GetMemberDetectorsRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("AccountIds", .accountIds, "accountIds", required: true),
    ])
    static let memberAdditionalConfiguration: APIShape = .structure("MemberAdditionalConfiguration", [
        .init("Name", .orgFeatureAdditionalConfiguration, "name"),
        .init("Status", .featureStatus, "status"),
    ])
    static let memberAdditionalConfigurations: APIShape = .list("MemberAdditionalConfigurations", of: .memberAdditionalConfiguration)
    static let memberFeaturesConfiguration: APIShape = .structure("MemberFeaturesConfiguration", [
        .init("Name", .orgFeature, "name"),
        .init("Status", .featureStatus, "status"),
        .init("AdditionalConfiguration", .memberAdditionalConfigurations, "additionalConfiguration"),
    ])
    static let memberFeaturesConfigurations: APIShape = .list("MemberFeaturesConfigurations", of: .memberFeaturesConfiguration)
    static let updateMemberDetectorsRequest: APIShape = .structure("UpdateMemberDetectorsRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("AccountIds", .accountIds, "accountIds", required: true),
        .init("DataSources", .dataSourceConfigurations, "dataSources"),
        .init("Features", .memberFeaturesConfigurations, "features"),
    ])
    static let coverageFilterCriterionKey: APIShape = .string("CoverageFilterCriterionKey", oneOf: [
        "ACCOUNT_ID", "RESOURCE_TYPE", "COVERAGE_STATUS", "ADDON_VERSION", "CLUSTER_NAME", "ECS_CLUSTER_NAME", "MANAGEMENT_TYPE",
        "EKS_CLUSTER_NAME", "AGENT_VERSION", "INSTANCE_ID", "CLUSTER_ARN",
    ])
    static let equalsList: APIShape = .list("Equals", of: .stringShape)
    static let notEqualsList: APIShape = .list("NotEquals", of: .stringShape)
    static let coverageFilterCondition: APIShape = .structure("CoverageFilterCondition", [
        .init("Equals", .equalsList, "equals"),
        .init("NotEquals", .notEqualsList, "notEquals"),
    ])
    static let coverageFilterCriterion: APIShape = .structure("CoverageFilterCriterion", [
        .init("CriterionKey", .coverageFilterCriterionKey, "criterionKey"),
        .init("FilterCondition", .coverageFilterCondition, "filterCondition"),
    ])
    static let coverageFilterCriterionList: APIShape = .list("CoverageFilterCriterionList", of: .coverageFilterCriterion, min: 0, max: 50)
    static let coverageFilterCriteria: APIShape = .structure("CoverageFilterCriteria", [
        .init("FilterCriterion", .coverageFilterCriterionList, "filterCriterion"),
    ])
    static let coverageSortKey: APIShape = .string("CoverageSortKey", oneOf: [
        "ACCOUNT_ID", "COVERAGE_STATUS", "ISSUE", "ADDON_VERSION", "UPDATED_AT", "CLUSTER_NAME", "EKS_CLUSTER_NAME", "ECS_CLUSTER_NAME", "INSTANCE_ID",
    ])
    static let coverageSortCriteria: APIShape = .structure("CoverageSortCriteria", [
        .init("AttributeName", .coverageSortKey, "attributeName"),
        .init("OrderBy", .orderBy, "orderBy"),
    ])
    static let listCoverageRequest: APIShape = .structure("ListCoverageRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("NextToken", .stringShape, "nextToken"),
        .init("MaxResults", .maxResults, "maxResults"),
        .init("FilterCriteria", .coverageFilterCriteria, "filterCriteria"),
        .init("SortCriteria", .coverageSortCriteria, "sortCriteria"),
    ])
    static let coverageStatisticsType: APIShape = .string("CoverageStatisticsType", oneOf: ["COUNT_BY_RESOURCE_TYPE", "COUNT_BY_COVERAGE_STATUS"])
    static let coverageStatisticsTypeList: APIShape = .list("CoverageStatisticsTypeList", of: .coverageStatisticsType)
    static let getCoverageStatisticsRequest: APIShape = .structure("GetCoverageStatisticsRequest", [
        .init("DetectorId", .detectorId, uri: "DetectorId", required: true),
        .init("FilterCriteria", .coverageFilterCriteria, "filterCriteria"),
        .init("StatisticsType", .coverageStatisticsTypeList, "statisticsType", required: true),
    ])
}
