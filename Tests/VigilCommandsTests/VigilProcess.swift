import Foundation
import VigilTesting

/// Runs the built `vigil` executable as a user would.
struct VigilProcess {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: String {
        if let override = ProcessInfo.processInfo.environment["VIGIL_BINARY"] { return override }
        return SharedData.packageRoot.appendingPathComponent(".build/debug/vigil").path
    }

    static func run(_ arguments: [String], executable: String = binary) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = SharedData.packageRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes concurrently so a full pipe never blocks the child.
        nonisolated(unsafe) var errData = Data()
        let errReader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        errReader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errReader.isFinished { usleep(1000) }
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Validates finding JSON with botocore's GuardDuty model (Tests/compat/validate_finding_shape.py).
    static func validateWithBotocore(_ json: String) throws -> Output {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-findings-\(UUID().uuidString).json")
        try json.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = SharedData.packageRoot.appendingPathComponent("Tests/compat/validate_finding_shape.py").path
        return try run(["python3", script, file.path], executable: "/usr/bin/env")
    }
}
