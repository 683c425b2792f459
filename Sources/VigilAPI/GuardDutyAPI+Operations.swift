import VigilStore

/// Every operation's handler, by operation name: the table the router dispatches through (one
/// entry per operation of ``GuardDutyModel/operations``; a test checks none is missing).
extension GuardDutyAPI {
    typealias Handler = @Sendable (GuardDutyAPI, OperationRequest) throws -> APIResponse

    /// The caller's detector named by the request's `DetectorId`.
    func detector(_ request: OperationRequest) throws -> DetectorRecord {
        try ownedDetector(request.label("DetectorId"), request.caller)
    }

    static let handlers: [String: Handler] = {
        var table: [String: Handler] = [
            "CreateDetector": { api, r in try api.createDetector(r.caller, r.body) },
            "GetDetector": { api, r in try api.detectorResponse(api.detector(r)) },
            "ListDetectors": { api, r in try api.listDetectors(r.caller, query: r.singleQuery) },
            "UpdateDetector": { api, r in try api.updateDetector(api.detector(r), r.body) },
            "DeleteDetector": { api, r in try api.deleteDetector(api.detector(r)) },
            "ListFindings": { api, r in try api.listFindings(api.detector(r), r.body) },
            "GetFindings": { api, r in try api.getFindings(api.detector(r), r.body) },
            "ArchiveFindings": { api, r in try api.archive(true, api.detector(r), r.body) },
            "UnarchiveFindings": { api, r in try api.archive(false, api.detector(r), r.body) },
            "GetFindingsStatistics": { api, r in try api.statistics(api.detector(r), r.body) },
            "UpdateFindingsFeedback": { api, r in try api.feedback(api.detector(r), r.body) },
            "CreateSampleFindings": { api, r in try api.createSamples(api.detector(r), r.body) },
            "CreateFilter": { api, r in try api.saveFilter(api.detector(r), name: nil, r.body) },
            "GetFilter": { api, r in try api.getFilter(api.detector(r), name: r.label("FilterName")) },
            "ListFilters": { api, r in try api.listFilters(api.detector(r), query: r.singleQuery) },
            "UpdateFilter": { api, r in try api.saveFilter(api.detector(r), name: r.label("FilterName"), r.body) },
            "DeleteFilter": { api, r in try api.deleteFilter(api.detector(r), name: r.label("FilterName")) },
            "GetUsageStatistics": { api, r in try api.usageStatistics(api.detector(r), r.body) },
            "TagResource": { api, r in try api.tags("POST", arn: r.label("ResourceArn"), caller: r.caller, body: r.body, keys: []) },
            "UntagResource": { api, r in try api.tags("DELETE", arn: r.label("ResourceArn"), caller: r.caller, body: r.body, keys: r.query["tagKeys"] ?? []) },
            "ListTagsForResource": { api, r in try api.tags("GET", arn: r.label("ResourceArn"), caller: r.caller, body: r.body, keys: []) },
            "CreatePublishingDestination": { api, r in try api.publishingDestinations("POST", api.detector(r), id: nil, r.body, query: r.singleQuery) },
            "ListPublishingDestinations": { api, r in try api.publishingDestinations("GET", api.detector(r), id: nil, r.body, query: r.singleQuery) },
            "DescribePublishingDestination": { api, r in try api.publishingDestinations("GET", api.detector(r), id: r.label("DestinationId"), r.body, query: r.singleQuery) },
            "UpdatePublishingDestination": { api, r in try api.publishingDestinations("POST", api.detector(r), id: r.label("DestinationId"), r.body, query: r.singleQuery) },
            "DeletePublishingDestination": { api, r in try api.publishingDestinations("DELETE", api.detector(r), id: r.label("DestinationId"), r.body, query: r.singleQuery) },
            "CreateMembers": { api, r in try api.members("POST", api.detector(r), action: nil, r.body, query: r.singleQuery) },
            "ListMembers": { api, r in try api.members("GET", api.detector(r), action: nil, r.body, query: r.singleQuery) },
            "ListInvitations": { api, r in try api.invitations("GET", action: nil, caller: r.caller, r.body, query: r.singleQuery) },
            "GetInvitationsCount": { api, r in try api.invitations("GET", action: "count", caller: r.caller, r.body, query: r.singleQuery) },
            "DeclineInvitations": { api, r in try api.invitations("POST", action: "decline", caller: r.caller, r.body, query: r.singleQuery) },
            "DeleteInvitations": { api, r in try api.invitations("POST", action: "delete", caller: r.caller, r.body, query: r.singleQuery) },
            "AcceptAdministratorInvitation": { api, r in try api.administrator("POST", api.detector(r), action: nil, r.body) },
            "GetAdministratorAccount": { api, r in try api.administrator("GET", api.detector(r), action: nil, r.body) },
            "DisassociateFromAdministratorAccount": { api, r in try api.administrator("POST", api.detector(r), action: "disassociate", r.body) },
            "AcceptInvitation": { api, r in try api.administrator("POST", api.detector(r), action: nil, r.body, legacy: true) },
            "GetMasterAccount": { api, r in try api.administrator("GET", api.detector(r), action: nil, r.body, legacy: true) },
            "DisassociateFromMasterAccount": { api, r in try api.administrator("POST", api.detector(r), action: "disassociate", r.body, legacy: true) },
            "EnableOrganizationAdminAccount": { api, r in try api.enableOrganizationAdmin(r.caller, r.body, enable: true) },
            "DisableOrganizationAdminAccount": { api, r in try api.enableOrganizationAdmin(r.caller, r.body, enable: false) },
            "ListOrganizationAdminAccounts": { api, r in try api.listOrganizationAdmins(r.caller, query: r.singleQuery) },
            "DescribeOrganizationConfiguration": { api, r in try api.describeOrganizationConfiguration(api.detector(r)) },
            "UpdateOrganizationConfiguration": { api, r in try api.updateOrganizationConfiguration(api.detector(r), r.body) },
            "GetMemberDetectors": { api, r in try api.memberDetectors(api.detector(r), r.body, update: false) },
            "UpdateMemberDetectors": { api, r in try api.memberDetectors(api.detector(r), r.body, update: true) },
            "ListCoverage": { api, r in try api.listCoverage(api.detector(r), r.body) },
            "GetCoverageStatistics": { api, r in try api.coverageStatistics(api.detector(r), r.body) },
            "GetOrganizationStatistics": { api, r in try api.organizationStatistics(r.caller) },
        ]
        for (operation, action) in [("InviteMembers", "invite"), ("GetMembers", "get"), ("DisassociateMembers", "disassociate"),
                                    ("DeleteMembers", "delete"), ("StartMonitoringMembers", "start"), ("StopMonitoringMembers", "stop")] {
            table[operation] = { api, r in try api.members("POST", api.detector(r), action: action, r.body, query: r.singleQuery) }
        }
        // The four kinds of list, one mechanism (``IntelSetKind``).
        for kind in IntelSetKind.allCases {
            let label = kind.uriLabel
            table["Create\(kind.operationNoun)"] = { api, r in try api.intelSets(kind, "POST", api.detector(r), setId: nil, r.body, query: r.singleQuery) }
            table["List\(kind.operationNoun)s"] = { api, r in try api.intelSets(kind, "GET", api.detector(r), setId: nil, r.body, query: r.singleQuery) }
            table["Get\(kind.operationNoun)"] = { api, r in try api.intelSets(kind, "GET", api.detector(r), setId: r.label(label), r.body, query: r.singleQuery) }
            table["Update\(kind.operationNoun)"] = { api, r in try api.intelSets(kind, "POST", api.detector(r), setId: r.label(label), r.body, query: r.singleQuery) }
            table["Delete\(kind.operationNoun)"] = { api, r in try api.intelSets(kind, "DELETE", api.detector(r), setId: r.label(label), r.body, query: r.singleQuery) }
        }
        // Lists and suppression rules of an administrator apply to its enabled members: a change of
        // membership changes which lists are in force for an account.
        for operation in ["CreateMembers", "InviteMembers", "DisassociateMembers", "DeleteMembers", "StartMonitoringMembers",
                          "StopMonitoringMembers", "AcceptAdministratorInvitation", "AcceptInvitation", "DisassociateFromAdministratorAccount",
                          "DisassociateFromMasterAccount", "DeclineInvitations", "DeleteInvitations"] {
            guard let handler = table[operation] else { continue }
            table[operation] = { api, r in
                let response = try handler(api, r)
                api.onIntelChange()
                return response
            }
        }
        return table
    }()
}
