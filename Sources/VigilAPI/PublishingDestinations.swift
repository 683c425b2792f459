import Foundation
import VigilModel
import VigilPublish
import VigilStore

extension GuardDutyAPI {
    func publishingDestinations(_ method: String, _ detector: DetectorRecord, id: String?, _ body: [String: Any],
                                query: [String: String]) throws -> APIResponse {
        func properties(_ value: Any?) throws -> (String, String?) {
            guard let p = value as? [String: Any], let arn = p["destinationArn"] as? String else {
                throw APIError.badRequest("The request is rejected because destinationProperties.destinationArn is missing.")
            }
            return (arn, p["kmsKeyArn"] as? String)
        }
        func status(_ arn: String) -> PublishingStatus {
            guard let folder = exports.folder(for: arn, account: detector.accountId), exports.writable(folder) else {
                return .unableToPublish
            }
            return .publishing
        }
        switch (method, id) {
        case ("POST", nil):
            guard (body["destinationType"] as? String) == "S3" else { throw APIError.badRequest("The request is rejected because destinationType must be S3.") }
            guard try store.destinations(detectorId: detector.id).isEmpty else {
                throw APIError.badRequest("The request is rejected because the detector already has a publishing destination, the most it may have.")
            }
            let (arn, kms) = try properties(body["destinationProperties"])
            guard exports.folder(for: arn, account: detector.accountId) != nil else {
                throw APIError.badRequest("The request is rejected because \(ExportFolders.refusal).")
            }
            let record = DestinationRecord(id: RandomID.make(), detectorId: detector.id, destinationArn: arn, kmsKeyArn: kms, status: status(arn))
            try store.saveDestination(record)
            let tags = try Self.tags(body["tags"])
            if !tags.isEmpty { try store.setTags(tags, resourceArn: Self.arn(detector.accountId, detector.region, "detector/\(detector.id)/publishingDestination/\(record.id)")) }
            return .json(["destinationId": record.id])
        case ("GET", nil):
            let all = try store.destinations(detectorId: detector.id)
            let (page, next) = try Self.page(all.map(\.id), maxResults: query["maxResults"].map { Int($0) ?? -1 }, nextToken: query["nextToken"], limit: 50)
            let byId = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            var out: [String: Any] = ["destinations": page.compactMap { byId[$0] }.map { ["destinationId": $0.id, "destinationType": "S3", "status": $0.status.rawValue] }]
            if let next { out["nextToken"] = next }
            return .json(out)
        case (_, let id?):
            guard var record = try store.destination(id: id), record.detectorId == detector.id else {
                throw APIError.badRequest("The request is rejected because the destination \(id) does not exist.")
            }
            switch method {
            case "GET":
                var props: [String: String] = ["destinationArn": record.destinationArn]
                if let kms = record.kmsKeyArn { props["kmsKeyArn"] = kms }
                return .json(["destinationId": record.id, "destinationType": "S3", "status": record.status.rawValue, "publishingFailureStartTimestamp": 0,
                              "destinationProperties": props,
                              "tags": try store.tags(resourceArn: Self.arn(detector.accountId, detector.region, "detector/\(detector.id)/publishingDestination/\(id)"))])
            case "POST":
                let (arn, kms) = try properties(body["destinationProperties"])
                guard exports.folder(for: arn, account: detector.accountId) != nil else {
                    throw APIError.badRequest("The request is rejected because \(ExportFolders.refusal).")
                }
                record.destinationArn = arn
                record.kmsKeyArn = kms
                record.status = status(arn)
                try store.saveDestination(record)
                return .json([:])
            case "DELETE":
                try store.deleteDestination(id: id)
                return .json([:])
            default: break
            }
        default: break
        }
        throw APIError(status: 404, type: "UnknownOperationException", message: "No GuardDuty operation at \(method) publishingDestination.")
    }
}
