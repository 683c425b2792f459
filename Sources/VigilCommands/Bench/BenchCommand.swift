import ArgumentParser
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Measure throughput.")
    func run() throws {}
}
