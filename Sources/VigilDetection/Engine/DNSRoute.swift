import VigilLogs

/// A DNS detector with the sink that checks what it reports: what the engine calls per query,
/// reached without retaining it (as ``CloudTrailRoute`` and ``FlowRoute``).
final class DNSRoute {
    let detector: any DNSDetector
    let sink: DeclaredTypesSink

    init(detector: any DNSDetector, sink: DeclaredTypesSink) {
        self.detector = detector
        self.sink = sink
    }

    @inline(__always)
    func inspect(_ query: ResolverQuery, source: LogSource) {
        detector.inspect(query, source: source, into: sink)
    }
}
