import Foundation
import FuzzSupport
import VigilAPI
import VigilModel
import VigilStore

/// libFuzzer target: any bytes as a ListFindings request body — parsed, checked against the
/// model's ListFindingsRequest shape, its FindingCriteria read, split into what the store answers
/// (SQL, its WHERE clause written in both stores' dialects) and the rest, and the rest evaluated
/// on a finding.
let finding = JSONTree.object([
    "accountId": .string("123456789012"), "region": .string("us-east-1"), "severity": .number(8), "type": .string("Recon:EC2/Portscan"),
    "updatedAt": .string("2026-11-30T10:00:00.000Z"),
    "resource": .object(["resourceType": .string("Instance"), "instanceDetails": .object([
        "instanceId": .string("i-0fuzz"), "networkInterfaces": .array([.object(["subnetId": .string("subnet-1"),
                                                                                "securityGroups": .array([.object(["groupId": .string("sg-1")])])])]),
        "tags": .array([.object(["key": .string("Name"), "value": .string("web")])])])]),
    "service": .object(["archived": .bool(false), "count": .number(3), "resourceRole": .string("ACTOR")]),
])
let shape = GuardDutyModel.operation("ListFindings")!.input

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    guard let body = try? JSONTree(parsing: bytes) else { return 0 }
    guard (try? RequestValidator().validate(shape, body: body, labels: ["DetectorId": "d"], query: [:])) != nil else { return 0 }
    let object = body.foundationValue as? [String: Any] ?? [:]
    guard let criteria = try? FindingCriteria(json: object["findingCriteria"]) else { return 0 }
    let (selection, residual) = criteria.split(into: FindingSelection(accounts: ["123456789012"], region: "us-east-1"))
    for dialect in [SQLDialect.sqlite, .postgres] {
        var statement = SQLStatement(dialect)
        _ = selection.whereClause(&statement)
    }
    _ = residual.matches(finding)
    _ = criteria.matches(finding)
    return 0
}

@_cdecl("FuzzFindingCriteria_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { fuzz($0, $1) }
}
