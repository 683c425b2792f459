import Foundation

/// What the detectors learned (baselines, models), saved with the analysis commits.
public protocol LearnedStateStore: Sendable {
    /// The learned state of each detector that saved one, by `<account>/<detector name>`: every
    /// account's detectors learn apart.
    func learnedStates() throws -> [String: Data]
    /// One account's learned states, by detector name.
    func learnedStates(accountId: String) throws -> [String: Data]
}
