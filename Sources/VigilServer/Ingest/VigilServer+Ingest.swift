import Foundation
import NIOPosix
import VigilAPI
import VigilLogs
import VigilModel
import VigilPipeline
import VigilStore

extension VigilServer {
    /// `POST /ingest`: a CloudTrail `{"Records":[…]}` body, flow-log lines (with their header) or
    /// Resolver JSON lines, signed like an API request. The records are analysed by the watcher's
    /// detectors (so baselines learn from them too) as a file in the caller's account would be;
    /// findings for other accounts are refused (counted in the answer), and CloudTrail events
    /// already analysed (same `eventID`) are counted as `duplicateEvents` and raise nothing again.
    /// One body is analysed at a time — concurrent senders wait their turn, which is the back-pressure.
    func ingest(_ request: SignedRequest, workers: NIOThreadPool) async -> APIResponse {
        let caller: SigV4Verifier.Caller
        do { caller = try api.verifier.verify(request) } catch { return .error(error) }
        guard request.method == "POST" else { return .error(APIError(status: 405, type: "MethodNotAllowedException", message: "Use POST to ingest logs.")) }
        guard !request.body.isEmpty else { return .error(.badRequest("The request body is empty.")) }
        return await ingestGate.run {
            do {
                return try await workers.runIfActive { try self.analyse(body: request.body, caller: caller) }
            } catch let error as APIError {
                return .error(error)
            } catch {
                return .error(.internalError("The logs could not be stored: \(error)"))
            }
        }
    }

    func analyse(body: [UInt8], caller: SigV4Verifier.Caller) throws -> APIResponse {
        let kind = body.withUnsafeBytes { LogSniffer.classify(path: "ingest", content: $0) }
        guard case .success(let logKind) = kind else {
            throw APIError.badRequest("The body is not a CloudTrail {\"Records\": […]} document, VPC Flow Logs lines or Route 53 Resolver query-log lines.")
        }
        let folder = switch logKind.dataSource {
        case .cloudTrail: "CloudTrail/\(caller.region)"
        case .flowLogs: "vpcflowlogs/\(caller.region)"
        case .dns: "vpcdnsquerylogs/ingest"
        }
        // The caller may send its own account's records, and an administrator its enabled members'.
        let admitted = Set(([caller.accountId] + (try store.memberships(administrator: caller.accountId)).filter { $0.status == .enabled }.map(\.member))
            .compactMap { AccountID($0) })
        var problems: [String] = []
        let path = "AWSLogs/\(caller.accountId)/\(folder)/ingest-\(UUID().uuidString.lowercased())"
        let (statistics, repeated, refused, findings) = try pipeline.exclusively {
            let duplicates = pipeline.duplicateEvents, refusedBefore = pipeline.refusedRecords
            let collected = ProblemList(limit: 20)
            pipeline.issueCollector = { collected.append($0.description) }
            pipeline.admits = { admitted.contains($0) }
            defer {
                pipeline.issueCollector = nil
                pipeline.admits = nil
                problems = collected.items
            }
            // Records of the caller's members may be in the body: read with every partition paused.
            let statistics = pipeline.read([LogInput(path: path, bytes: body, partitionable: false)])[0]
            var usage: [UsageRecord] = []
            for source in DataSource.allCases where statistics[source].records > 0 || statistics[source].badRecords > 0 {
                let v = statistics[source]
                usage.append(UsageRecord(accountId: caller.accountId, dataSource: source.usageName, resource: "ingest", records: Int64(v.records), bytes: Int64(v.bytes)))
            }
            return (statistics, pipeline.duplicateEvents - duplicates, pipeline.refusedRecords - refusedBefore,
                    try pipeline.commit(analysed: [], usage: usage))
        }
        let records = DataSource.allCases.reduce(UInt64(0)) { $0 + statistics[$1].records }
        let bad = DataSource.allCases.reduce(UInt64(0)) { $0 + statistics[$1].badRecords }
        return .json(["records": records, "badRecords": bad, "refusedRecords": refused, "duplicateEvents": repeated,
                      "findings": findings.map(\.id), "problems": problems])
    }
}
