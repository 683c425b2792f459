import Foundation
import FuzzSupport
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

@_cdecl("FuzzConfiguration_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { fuzz($0, $1) }
}
