import FuzzSupport
import VigilIntel
import VigilModel

/// libFuzzer target: any bytes as a threat or trusted list in every format Vigil reads (the first
/// byte's low bits pick the format — or none, to let Vigil recognise it — and its next bit whether
/// the list is a threat list or a trusted one), compiled and looked up.
let formats: [ListFormat?] = ListFormat.allCases + [nil]
let probes = ["198.51.100.7", "10.0.0.1", "2001:db8::1", "0.0.0.0", "255.255.255.255"].compactMap { IPAddress($0) }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let format = formats[Int(bytes[0] & 0x0F) % formats.count]
    let trusted = bytes[0] & 0x10 != 0
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    let source = ThreatListSource(name: "fuzz", category: .custom, format: format, path: "fuzz.list", text: text)
    guard let intel = try? (trusted ? ThreatIntelligence.load(threatLists: [], trustedLists: [source])
                                    : ThreatIntelligence.load(threatLists: [source])) else { return 0 }
    for address in probes {
        _ = intel.match(address)
        _ = intel.isTrusted(address)
    }
    _ = intel.match(domain: "a.b.example.com.")
    return 0
}

@_cdecl("FuzzLists_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { fuzz($0, $1) }
}
