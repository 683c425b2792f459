import Foundation
import VigilModel

/// How findings are published as they are stored: to which targets, and in what envelope.
public struct Publication: Sendable {
    /// A finding's targets (`webhook:0`, `file:/var/log/vigil/findings.jsonl`, `export:/folder`); one outbox item each.
    public var targets: @Sendable (Finding) -> [String]
    public var now: Date
    /// The event body for a finding (the EventBridge envelope).
    public var envelope: @Sendable (Finding) -> String
    public init(targets: @escaping @Sendable (Finding) -> [String], now: Date, envelope: @escaping @Sendable (Finding) -> String) {
        self.targets = targets
        self.now = now
        self.envelope = envelope
    }

    /// The same targets for every finding.
    public init(targets: [String], now: Date, envelope: @escaping @Sendable (Finding) -> String) {
        self.init(targets: { _ in targets }, now: now, envelope: envelope)
    }
}
