import VigilLogs

/// A detector with the sink that checks what it reports: what the engine calls per record. The
/// engine reaches its routes without retaining them (``UnmanagedRun``), so a record costs no
/// reference counting on its way to the detectors. ``FlowRoute`` adds the interest test flow
/// detectors declare.
final class DetectorRoute<Detector> {
    let detector: Detector
    let sink: DeclaredTypesSink

    init(detector: Detector, sink: DeclaredTypesSink) {
        self.detector = detector
        self.sink = sink
    }
}

typealias CloudTrailRoute = DetectorRoute<any CloudTrailDetector>
typealias DNSRoute = DetectorRoute<any DNSDetector>

extension DetectorRoute where Detector == any CloudTrailDetector {
    @inline(__always)
    func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext) {
        detector.inspect(event, context, into: sink)
    }
}

extension DetectorRoute where Detector == any DNSDetector {
    @inline(__always)
    func inspect(_ query: ResolverQuery, source: LogSource) {
        detector.inspect(query, source: source, into: sink)
    }
}
