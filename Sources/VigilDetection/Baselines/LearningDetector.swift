import Foundation

/// A detector whose learned state outlives the process: `vigil serve` saves it in the store with
/// the findings and checkpoints it belongs to, and gives it back on start, so a restart does not
/// restart learning.
public protocol LearningDetector: Detector {
    /// The learned state as a self-describing, versioned document.
    func saveState() throws -> Data
    /// Replaces the learned state with a saved one. Throws when `data` cannot be read; the
    /// detector then keeps what it had.
    func restoreState(_ data: Data) throws
}

/// A saved state that cannot be read (another version, or damaged).
public struct LearnedStateError: Error, CustomStringConvertible {
    public let detector: String
    public let reason: String
    public var description: String { "learned state of \(detector): \(reason)" }
}

/// What every saved state starts with.
private struct SavedStateVersion: Decodable {
    var version: Int
}

extension LearningDetector {
    /// Decodes a saved state written at `version`. Damaged JSON or another version is a
    /// ``LearnedStateError`` naming this detector.
    func decodeState<State: Decodable>(_ type: State.Type, from data: Data, version: Int) throws -> State {
        do {
            let found = try JSONDecoder().decode(SavedStateVersion.self, from: data).version
            guard found == version else { throw LearnedStateError(detector: name, reason: "version \(found) is not understood") }
            return try JSONDecoder().decode(State.self, from: data)
        } catch let error as LearnedStateError {
            throw error
        } catch {
            throw LearnedStateError(detector: name, reason: "\(error)")
        }
    }
}
