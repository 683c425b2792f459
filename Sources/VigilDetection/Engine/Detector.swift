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
    var findingTypes: [FindingType] { get }
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
    /// Which records this detector reads; the engine hands it only those, testing the interest
    /// with a few integer comparisons instead of a call (as it routes CloudTrail by event name).
    var interest: FlowInterest { get }
    /// Inspects one record (logged `OK`, both addresses present, ``FlowRecord/outbound`` set).
    /// The record is passed `inout` only so that it is not copied for every detector (it is some
    /// 350 bytes, and the engine calls several detectors per record); detectors must not change it.
    func inspect(_ record: inout FlowRecord, source: LogSource, into sink: FindingSink)
}

extension FlowLogDetector {
    public var interest: FlowInterest { FlowInterest() }
}

/// The flow records a ``FlowLogDetector`` reads. Every condition must hold.
public struct FlowInterest: Sendable {
    public enum Direction: Sendable { case any, outbound, inbound }
    /// Destination ports (`nil`: any).
    public var destinationPorts: Set<UInt16>?
    /// Records with fewer packets are skipped.
    public var minimumPackets: UInt64
    public var direction: Direction
    /// Only ACCEPTed records.
    public var acceptedOnly: Bool

    public init(destinationPorts: Set<UInt16>? = nil, minimumPackets: UInt64 = 0, direction: Direction = .any, acceptedOnly: Bool = false) {
        self.destinationPorts = destinationPorts
        self.minimumPackets = minimumPackets
        self.direction = direction
        self.acceptedOnly = acceptedOnly
    }
}

/// A detector of Route 53 Resolver query-log records.
public protocol DNSDetector: Detector {
    func inspect(_ query: ResolverQuery, source: LogSource, into sink: FindingSink)
}

/// Receives observations from detectors.
public protocol FindingSink: AnyObject {
    func report(_ observation: Observation)

    /// Counts one more sighting of a finding already held — `type` for `identity` in the account
    /// and region — without a whole observation: its count, last time and evidence (the event's ID
    /// and location, made only while kept) move; its other details stay those of the sighting
    /// held. Returns `nil` when no such finding is held, and the caller reports a full
    /// observation; else a handle on the finding, with which the caller may count its next
    /// repeats (``countRepeat(_:time:eventId:location:)``) without finding it again. For
    /// detectors whose matches are many and alike (custom rules).
    func reportRepeat(_ type: FindingType, accountId: String, region: String, identity: Observation.Identity,
                      time: Timestamp, eventId: RawText, location: () -> String) -> RepeatHandle?

    /// Counts one more sighting of the finding `handle` names, as ``reportRepeat`` does. Returns
    /// `false` when the handle no longer names a finding held (the sink has handed its findings
    /// on since), and the caller finds or reports the finding again.
    func countRepeat(_ handle: RepeatHandle, time: Timestamp, eventId: RawText, location: () -> String) -> Bool
}

extension FindingSink {
    public func reportRepeat(_ type: FindingType, accountId: String, region: String, identity: Observation.Identity,
                             time: Timestamp, eventId: RawText, location: () -> String) -> RepeatHandle? { nil }
    public func countRepeat(_ handle: RepeatHandle, time: Timestamp, eventId: RawText, location: () -> String) -> Bool { false }
}
