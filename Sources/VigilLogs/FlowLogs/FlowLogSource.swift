import VigilModel

/// VPC Flow Logs: space-separated text, with a header naming the fields (any custom format) or
/// headerless in the default format, as flow logs write them to S3 (`AWSLogs/<account>/vpcflowlogs/…`).
public struct FlowLogSource: LogSourceDescriptor {
    public let name = "VPC Flow Logs"
    public let dataSource = DataSource.flowLogs
    public let s3Services: Set<S3LogPath.Service> = [.vpcFlowLogs]

    public func recognise(_ file: FileHead) -> Recognition? {
        guard file.head.first != UInt8(ascii: "{") else { return nil }
        if let schema = FlowLogSchema(headerLine: file.firstLine) { return .records(.flowLog(schema, hasHeader: true)) }
        if LogSniffer.looksLikeDefaultFlowRecord(file.firstLine) { return .records(.flowLog(.defaultFormat, hasHeader: false)) }
        return nil
    }
}
