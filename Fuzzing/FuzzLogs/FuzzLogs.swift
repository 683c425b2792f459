import FuzzSupport
import VigilDetection
import VigilLogs

/// libFuzzer target: any bytes as a log file — gzip or plain, CloudTrail, VPC Flow Logs or Resolver
/// query logs — read and analysed by every built-in detector, each account apart. One analysis
/// lives across inputs, as in `vigil serve`, so detectors' tables see long runs of hostile records.
/// The first byte picks the S3 key the bytes are read under (a trail, a flow log, Resolver logs, or
/// a loose file), so each reader is reached whatever the content sniffs as.
nonisolated(unsafe) let scan = LogScan(maximumAccounts: 64)
let paths = [
    "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/30/123456789012_CloudTrail_us-east-1_20261130T0000Z_fuzz.json.gz",
    "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/30/123456789012_vpcflowlogs_us-east-1_fl-0fuzz_20261130T0000Z_fuzz.log.gz",
    "AWSLogs/123456789012/vpcdnsquerylogs/vpc-0fuzz/2026/11/30/vpc-0fuzz_vpcdnsquerylogs_123456789012_20261130T0000Z_fuzz.log.gz",
    "fuzz.log",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let path = paths[Int(bytes[0]) % paths.count]
    scan.read(bytes: UnsafeRawBufferPointer(rebasing: bytes.dropFirst()), path: path)
    _ = scan.router.drain()
    return 0
}

@_cdecl("FuzzLogs_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { fuzz($0, $1) }
}
