/// A VPC Flow Logs field, by its header name.
public enum FlowField: String, CaseIterable, Sendable {
    case version, accountId = "account-id", interfaceId = "interface-id", srcaddr, dstaddr, srcport, dstport,
         `protocol`, packets, bytes, start, end, action, logStatus = "log-status",
         vpcId = "vpc-id", subnetId = "subnet-id", instanceId = "instance-id", tcpFlags = "tcp-flags", type,
         pktSrcaddr = "pkt-srcaddr", pktDstaddr = "pkt-dstaddr",
         region, azId = "az-id", sublocationType = "sublocation-type", sublocationId = "sublocation-id",
         pktSrcAwsService = "pkt-src-aws-service", pktDstAwsService = "pkt-dst-aws-service",
         flowDirection = "flow-direction", trafficPath = "traffic-path",
         ecsClusterArn = "ecs-cluster-arn", ecsClusterName = "ecs-cluster-name",
         ecsContainerInstanceArn = "ecs-container-instance-arn", ecsContainerInstanceId = "ecs-container-instance-id",
         ecsContainerId = "ecs-container-id", ecsSecondContainerId = "ecs-second-container-id",
         ecsServiceName = "ecs-service-name", ecsTaskDefinitionArn = "ecs-task-definition-arn",
         ecsTaskArn = "ecs-task-arn", ecsTaskId = "ecs-task-id", rejectReason = "reject-reason",
         resourceId = "resource-id", encryptionStatus = "encryption-status"
}

/// The column layout of one flow-log file, read from its header line.
public struct FlowLogSchema: Hashable, Sendable {
    /// The field of each column; `nil` for a column whose name Vigil does not know (its values are kept
    /// out of the record but do not make the line bad).
    public let columns: [FlowField?]
    /// Header names Vigil does not know.
    public let unknownNames: [String]

    public init(columns: [FlowField?], unknownNames: [String] = []) {
        self.columns = columns
        self.unknownNames = unknownNames
    }

    /// The default (version 2) format, used for files without a header line.
    public static let defaultFormat = FlowLogSchema(columns: [
        .version, .accountId, .interfaceId, .srcaddr, .dstaddr, .srcport, .dstport, .protocol,
        .packets, .bytes, .start, .end, .action, .logStatus,
    ])

    /// Reads a header line (`version account-id interface-id …`, or the `${version} …` format
    /// string). Returns `nil` unless every token is a field-name-shaped word and at least half are
    /// known fields, so a data line is never mistaken for a header.
    public init?(headerLine: UnsafeRawBufferPointer) {
        var columns: [FlowField?] = []
        var unknown: [String] = []
        var known = 0
        var i = 0
        let n = headerLine.count
        while i < n {
            while i < n && (headerLine[i] == 0x20 || headerLine[i] == 0x09 || headerLine[i] == 0x0D) { i += 1 }
            if i >= n { break }
            var j = i
            while j < n && headerLine[j] != 0x20 && headerLine[j] != 0x09 && headerLine[j] != 0x0D { j += 1 }
            var token = String(decoding: UnsafeRawBufferPointer(rebasing: headerLine[i..<j]), as: UTF8.self)
            if token.hasPrefix("${") && token.hasSuffix("}") { token = String(token.dropFirst(2).dropLast()) }
            guard let first = token.utf8.first, (0x61...0x7A).contains(first),
                  token.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D })
            else { return nil }
            if let field = FlowField(rawValue: token) {
                known += 1
                columns.append(field)
            } else {
                unknown.append(token)
                columns.append(nil)
            }
            i = j
        }
        guard !columns.isEmpty, known * 2 >= columns.count else { return nil }
        self.init(columns: columns, unknownNames: unknown)
    }

}
