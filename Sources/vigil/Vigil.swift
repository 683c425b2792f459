import VigilCommands

/// The `vigil` executable: the command tree lives in VigilCommands.
@main
extension VigilCommand {}
