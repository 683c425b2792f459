import VigilLogs

/// A CloudTrail detector with the sink that checks what it reports: what the engine calls per event.
final class CloudTrailRoute {
    let detector: any CloudTrailDetector
    let sink: DeclaredTypesSink

    init(detector: any CloudTrailDetector, sink: DeclaredTypesSink) {
        self.detector = detector
        self.sink = sink
    }

    @inline(__always)
    func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext) {
        detector.inspect(event, context, into: sink)
    }
}
