import Foundation
import Testing
@testable import VigilAPI
import VigilModel

/// Vigil's declared API model checked against botocore's GuardDuty model, member by member, and the
/// generic validator checked on the constraints it enforces.
@Suite struct GuardDutyModelTests {
    /// botocore's `service-2.json` for GuardDuty (the installed botocore's newest version).
    static func botocoreModel() throws -> [String: Any] {
        let script = """
            import botocore, glob, gzip, json, os, sys
            paths = sorted(glob.glob(os.path.join(os.path.dirname(botocore.__file__), 'data/guardduty/*/service-2.json*')))
            p = paths[-1]
            sys.stdout.write((gzip.open(p) if p.endswith('.gz') else open(p, 'rb')).read().decode())
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func everyOperationAndInputShapeMatchesBotocore() throws {
        let model = try Self.botocoreModel()
        let operations = try #require(model["operations"] as? [String: [String: Any]])
        let shapes = try #require(model["shapes"] as? [String: [String: Any]])
        var compared = Set<String>()

        func compare(_ mine: APIShape, _ name: String, _ path: String) {
            #expect(mine.name == name, "\(path): shape \(mine.name), botocore \(name)")
            guard !compared.contains(name) else { return }
            compared.insert(name)
            guard let theirs = shapes[name] else {
                Issue.record("\(path): botocore has no shape \(name)")
                return
            }
            #expect(mine.kind.rawValue == theirs["type"] as? String, "\(name): type")
            #expect(mine.min == (theirs["min"] as? NSNumber)?.int64Value, "\(name): min")
            #expect(mine.max == (theirs["max"] as? NSNumber)?.int64Value, "\(name): max")
            #expect(mine.pattern == theirs["pattern"] as? String, "\(name): pattern")
            #expect(mine.allowedValues == theirs["enum"] as? [String], "\(name): enum")
            switch mine.kind {
            case .list:
                let member = (theirs["member"] as? [String: Any])?["shape"] as? String ?? ""
                if let m = mine.member { compare(m, member, "\(path)[]") } else { Issue.record("\(name): no member shape") }
            case .map:
                let key = (theirs["key"] as? [String: Any])?["shape"] as? String ?? ""
                let value = (theirs["value"] as? [String: Any])?["shape"] as? String ?? ""
                if let k = mine.key { compare(k, key, "\(path){key}") } else { Issue.record("\(name): no key shape") }
                if let v = mine.value { compare(v, value, "\(path){value}") } else { Issue.record("\(name): no value shape") }
            case .structure:
                let members = theirs["members"] as? [String: [String: Any]] ?? [:]
                let required = Set(theirs["required"] as? [String] ?? [])
                #expect(Set(mine.members.map(\.name)) == Set(members.keys), "\(name): members")
                for member in mine.members {
                    guard let their = members[member.name] else { continue }
                    let location = their["location"] as? String ?? "body"
                    #expect(member.location.rawValue == location, "\(name).\(member.name): location")
                    #expect(member.locationName == (their["locationName"] as? String ?? member.name), "\(name).\(member.name): locationName")
                    #expect(member.required == required.contains(member.name), "\(name).\(member.name): required")
                    compare(member.shape, their["shape"] as? String ?? "", "\(path).\(member.name)")
                }
            default:
                break
            }
        }

        #expect(GuardDutyModel.operations.count >= 64)
        for operation in GuardDutyModel.operations {
            guard let theirs = operations[operation.name] else {
                Issue.record("botocore has no operation \(operation.name)")
                continue
            }
            let http = theirs["http"] as? [String: Any] ?? [:]
            #expect(operation.method.rawValue == http["method"] as? String, "\(operation.name): method")
            #expect(operation.requestURI == http["requestUri"] as? String, "\(operation.name): requestUri")
            guard let input = (theirs["input"] as? [String: Any])?["shape"] as? String else {
                #expect(operation.input.members.isEmpty, "\(operation.name): botocore declares no input")
                continue
            }
            compare(operation.input, input, operation.name)
        }
    }

    @Test func everyOperationHasAHandlerAndEveryHandlerAnOperation() {
        let names = Set(GuardDutyModel.operations.map(\.name))
        #expect(names.count == GuardDutyModel.operations.count, "an operation is declared twice")
        #expect(Set(GuardDutyAPI.handlers.keys) == names)
    }

    @Test func validatorEnforcesTheModelsConstraints() throws {
        let validator = RequestValidator()
        let usage = try #require(GuardDutyModel.operation("GetUsageStatistics")).input
        func check(_ json: String, labels: [String: String] = ["DetectorId": "d"], query: [String: [String]] = [:]) -> String? {
            do {
                try validator.validate(usage, body: try JSONTree(parsing: Array(json.utf8)), labels: labels, query: query)
                return nil
            } catch let error as APIError { return error.message } catch { return "\(error)" }
        }
        let criteria = #""usageCriteria": {"dataSources": ["FLOW_LOGS"]}"#
        #expect(check(#"{"usageStatisticsType": "TOP_RESOURCES", \#(criteria)}"#) == nil)
        #expect(check(#"{"usageStatisticsType": "TOP_RESOURCES", \#(criteria), "maxResults": -1}"#)?.contains("'maxResults'") == true)
        #expect(check(#"{"usageStatisticsType": "TOP_RESOURCES", \#(criteria), "maxResults": 51}"#)?.contains("less than or equal to 50") == true)
        #expect(check(#"{"usageStatisticsType": "TOP_RESOURCES", \#(criteria), "maxResults": 2.5}"#)?.contains("integer") == true)
        #expect(check(#"{"usageStatisticsType": "TOP_RESOURCES", \#(criteria), "maxResults": true}"#)?.contains("integer") == true)
        #expect(check(#"{"usageStatisticsType": "EVERYTHING", \#(criteria)}"#)?.contains("enum value set") == true)
        #expect(check(#"{"usageStatisticsType": "TOP_RESOURCES"}"#)?.contains("'usageCriteria' is missing") == true)
        #expect(check(#"{"usageStatisticsType": "TOP_RESOURCES", "usageCriteria": {"dataSources": ["DNS_LOGS", "X"]}}"#)?
            .contains("'usageCriteria.dataSources[1]'") == true)
        #expect(check(#"{"usageStatisticsType": "TOP_RESOURCES", "usageCriteria": {"accountIds": ["12"]}}"#)?.contains("accountIds[0]") == true)
        #expect(check(#"{"usageStatisticsType": "TOP_RESOURCES", \#(criteria)}"#, labels: [:])?.contains("DetectorId") == true)
        #expect(check(#"{"usageStatisticsType": "TOP_RESOURCES", \#(criteria)}"#, labels: ["DetectorId": String(repeating: "d", count: 301)])?
            .contains("length less than or equal to 300") == true)
        // Tag keys: the pattern is matched whole, so `aws:` keys are refused.
        let tag = try #require(GuardDutyModel.operation("TagResource")).input
        let arn = "arn:aws:guardduty:us-east-1:123456789012:detector/" + String(repeating: "a", count: 32)
        #expect(throws: APIError.self) { try validator.validate(tag, body: .object(["tags": .object(["aws:x": .string("v")])]), labels: ["ResourceArn": arn], query: [:]) }
        try validator.validate(tag, body: .object(["tags": .object(["team": .string("v")])]), labels: ["ResourceArn": arn], query: [:])
        // A list in the query string is the parameter repeated.
        let untag = try #require(GuardDutyModel.operation("UntagResource")).input
        try validator.validate(untag, body: .object([:]), labels: ["ResourceArn": arn], query: ["tagKeys": ["a", "b"]])
        #expect(throws: APIError.self) { try validator.validate(untag, body: .object([:]), labels: ["ResourceArn": arn], query: [:]) }
        // Unbounded members get Vigil's bounds.
        let list = try #require(GuardDutyModel.operation("ListFindings")).input
        let many = JSONTree.array(Array(repeating: .string("x"), count: 1001))
        #expect(throws: APIError.self) {
            try validator.validate(list, body: .object(["findingCriteria": .object(["criterion": .object(["type": .object(["equals": many])])])]),
                                   labels: ["DetectorId": "d"], query: [:])
        }
    }

    @Test func deepNestingIsRefusedBeforeParsing() {
        let deep = Array((String(repeating: "[", count: 1_000_000) + String(repeating: "]", count: 1_000_000)).utf8)
        #expect(throws: JSONTree.ParseError.self) { try JSONTree(parsing: deep) }
        #expect((try? JSONTree(parsing: Array(#"{"a": "[[[[", "b": [[1]]}"#.utf8), maximumDepth: 3)) != nil)
    }
}
