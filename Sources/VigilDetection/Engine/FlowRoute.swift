import VigilLogs

/// A flow detector with the sink that checks what it reports and its ``FlowInterest`` in the form
/// the engine tests per record: what the engine calls per record. The engine reaches its routes
/// without retaining them (``UnmanagedRun``), so a record costs no reference counting on its way
/// to the detectors.
final class FlowRoute {
    let detector: any FlowLogDetector
    let sink: DeclaredTypesSink
    /// One bit per destination port (1,024 words), or `nil` for any port.
    private let ports: UnsafeMutablePointer<UInt64>?
    private let minimumPackets: UInt64
    /// 0 any, 1 outbound, 2 inbound.
    private let direction: UInt8
    private let acceptedOnly: Bool

    init(detector: any FlowLogDetector, sink: DeclaredTypesSink) {
        self.detector = detector
        self.sink = sink
        let interest = detector.interest
        if let set = interest.destinationPorts {
            let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: 1024)
            bits.initialize(repeating: 0, count: 1024)
            for port in set { bits[Int(port >> 6)] |= 1 << UInt64(port & 63) }
            ports = bits
        } else {
            ports = nil
        }
        minimumPackets = interest.minimumPackets
        direction = switch interest.direction {
        case .any: 0
        case .outbound: 1
        case .inbound: 2
        }
        acceptedOnly = interest.acceptedOnly
    }

    deinit { ports?.deallocate() }

    /// Whether the detector reads a record with these traits (`direction` as stored here).
    @inline(__always)
    func wants(port: UInt16, packets: UInt64, accepted: Bool, direction recordDirection: UInt8) -> Bool {
        if packets < minimumPackets || (acceptedOnly && !accepted) || (direction != 0 && direction != recordDirection) { return false }
        guard let ports else { return true }
        return (ports[Int(port >> 6)] >> UInt64(port & 63)) & 1 == 1
    }

    @inline(__always)
    func inspect(_ record: inout FlowRecord, source: LogSource) {
        detector.inspect(&record, source: source, into: sink)
    }
}
