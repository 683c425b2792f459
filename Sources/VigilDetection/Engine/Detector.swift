import VigilLogs
import VigilModel

/// A detector: reads one kind of record, keeps whatever keyed state it needs, and reports
/// ``Observation``s to the engine, which aggregates them into findings.
///
/// Detectors run on event time: they must not read the wall clock. They run on one thread (the
/// engine's), so they may keep mutable state without locks. State must be bounded (a cap and an
/// eviction rule for every keyed table).
public protocol Detector: AnyObject {
    /// A stable name for logs and configuration (`cloudtrail-logging-disabled`).
    var name: String { get }
    /// The finding types this detector can raise.
    var findingTypes: [String] { get }
}

/// A detector of CloudTrail events.
public protocol CloudTrailDetector: Detector {
    /// The `eventName`s this detector reads; `nil` means every event. The engine routes by this,
    /// so a detector interested in a few APIs costs nothing on the others.
    var eventNames: Set<String>? { get }
    /// Inspects one event. `event` is valid only during the call.
    func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink)
}

/// A detector of VPC Flow Logs records.
public protocol FlowLogDetector: Detector {
    func inspect(_ record: FlowRecord, source: LogSource, into sink: FindingSink)
}

/// A detector of Route 53 Resolver query-log records.
public protocol DNSDetector: Detector {
    func inspect(_ query: ResolverQuery, source: LogSource, into sink: FindingSink)
}

/// Receives observations from detectors.
public protocol FindingSink: AnyObject {
    func report(_ observation: Observation)
}
