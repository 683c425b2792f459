import Foundation
import VigilCommands

/// libFuzzer target: any bytes as Vigil's configuration file — parsed and checked (unknown
/// members, formats, categories, detection settings, list locations, limits), never trusted.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    if let configuration = try? VigilConfiguration.load(data: data, path: "/etc/vigil/vigil.json") {
        _ = configuration.listPolicy(dataDirectory: "/var/lib/vigil")
        _ = configuration.listSources(builtIn: false, feedsDirectory: "/nonexistent", threatLists: [], trustedLists: [])
    }
    return 0
}

// SwiftPM links an executable's entry point as `FuzzConfiguration_main`: hand the process to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ test: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt

@_cdecl("FuzzConfiguration_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments) { fuzz($0, $1) }
}
