import VigilLogs
import VigilModel

/// A ``LogRecordHandler`` that keeps copies of what it is handed, for assertions.
public final class RecordingHandler: LogRecordHandler {
    /// A CloudTrail event's fields as strings (absent fields left out).
    public private(set) var cloudTrail: [[CloudTrailField: String]] = []
    public private(set) var cloudTrailTimes: [Timestamp] = []
    public private(set) var cloudTrailLocations: [RecordLocation] = []
    public private(set) var flows: [FlowRecordCopy] = []
    public private(set) var queries: [[ResolverField: String]] = []
    public private(set) var sources: [LogSource] = []
    /// The sources of records of any other type, in order.
    public private(set) var others: [DataSource] = []

    public init() {}

    public func handle<Record: LogRecord>(_ record: inout Record, source: LogSource) {
        sources.append(source)
        if Record.ifIs(&record, CloudTrailEvent.self, { keep(cloudTrail: $0) }) != nil { return }
        if Record.ifIs(&record, FlowRecord.self, { flows.append(FlowRecordCopy($0)) }) != nil { return }
        if Record.ifIs(&record, ResolverQuery.self, { keep(resolver: $0) }) != nil { return }
        others.append(Record.dataSource)
    }

    private func keep(cloudTrail event: CloudTrailEvent) {
        var copy: [CloudTrailField: String] = [:]
        for field in CloudTrailField.allCases { if let s = event[field].string { copy[field] = s } }
        cloudTrail.append(copy)
        cloudTrailTimes.append(event.eventTime)
        cloudTrailLocations.append(event.location)
    }

    private func keep(resolver query: ResolverQuery) {
        var copy: [ResolverField: String] = [:]
        for field in ResolverField.allCases { if let s = query[field].string { copy[field] = s } }
        queries.append(copy)
    }
}

/// A flow record with its text fields copied out of the log buffer.
public struct FlowRecordCopy: Sendable, Equatable {
    public var accountId: String?
    public var interfaceId: String?
    public var instanceId: String?
    public var srcAddr: IPAddress?
    public var dstAddr: IPAddress?
    public var pktSrcAddr: IPAddress?
    public var pktDstAddr: IPAddress?
    public var srcPort: UInt16?
    public var dstPort: UInt16?
    public var protocolNumber: UInt8?
    public var packets: UInt64?
    public var bytes: UInt64?
    public var start: Int64?
    public var end: Int64?
    public var action: FlowRecord.Action
    public var logStatus: FlowRecord.LogStatus
    public var flowDirection: FlowRecord.Direction
    public var tcpFlags: UInt16?
    public var version: UInt8?
    public var line: UInt64?

    public init(_ r: FlowRecord) {
        accountId = r.accountId.string
        interfaceId = r.interfaceId.string
        instanceId = r.instanceId.string
        srcAddr = r.srcAddr
        dstAddr = r.dstAddr
        pktSrcAddr = r.pktSrcAddr
        pktDstAddr = r.pktDstAddr
        srcPort = r.srcPort
        dstPort = r.dstPort
        protocolNumber = r.ipProtocol?.rawValue
        packets = r.packets
        bytes = r.bytes
        start = r.start
        end = r.end
        action = r.action
        logStatus = r.logStatus
        flowDirection = r.flowDirection
        tcpFlags = r.tcpFlags
        version = r.version
        line = r.location.line
    }
}
