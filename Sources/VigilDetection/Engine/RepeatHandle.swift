import VigilModel

/// A finding a ``FindingSink`` holds, as ``FindingSink/reportRepeat`` returned it: counting a
/// repeat through it skips hashing the finding's identity again. Valid only with the sink that
/// made it, until that sink hands its findings on (a newer handle is then needed).
public struct RepeatHandle: Sendable {
    /// The holder's batch when the handle was made.
    let generation: UInt64
    /// The finding's place in the holder's batch.
    let position: Int
    /// The finding type's name hashed, the seed of the key that refuses a second count of one event.
    let typeHash: UInt64
}
