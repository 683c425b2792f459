import VigilModel

/// Route 53 Resolver query logs: one JSON record a line, as Resolver query logging writes them to
/// S3 (`AWSLogs/<account>/vpcdnsquerylogs/<vpc>/…`).
public struct ResolverQuerySource: LogSourceDescriptor {
    public let name = "Route 53 Resolver query logs"
    public let dataSource = DataSource.dns
    public let s3Services: Set<S3LogPath.Service> = [.resolverQueryLogs]

    public func recognise(_ file: FileHead) -> Recognition? {
        guard file.head.first == UInt8(ascii: "{"), file.firstLineContains("\"query_name\"") else { return nil }
        return .records(.resolverLines)
    }
}
