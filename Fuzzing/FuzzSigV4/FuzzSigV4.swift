import Foundation
import FuzzSupport
import VigilAPI

/// libFuzzer target: a request to the SigV4 verifier built from the input — fields separated by NUL
/// bytes: method, path, query, `Authorization`, `X-Amz-Date`, `X-Amz-Content-Sha256`, `Host`, then
/// the body. Seeds are genuine signed requests (scripts/fuzz writes them), so the fuzzer starts at
/// a request that verifies and mutates from there. Whatever arrives, the verifier answers a caller
/// or an error, and the pre-authentication check agrees with the full one on who is named.
let verifier = SigV4Verifier(credentials: [APICredential(accessKeyId: "AKIAFUZZ", secretAccessKey: "fuzz-secret", accountId: "123456789012")])
let now = Date(timeIntervalSince1970: 1_796_000_000)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    var fields = bytes.split(separator: 0, maxSplits: 7, omittingEmptySubsequences: false).map { Array($0) }
    while fields.count < 8 { fields.append([]) }
    func text(_ i: Int) -> String { String(decoding: fields[i], as: UTF8.self) }
    var headers: [String: String] = ["authorization": text(3), "x-amz-date": text(4), "host": text(6)]
    if !fields[5].isEmpty { headers["x-amz-content-sha256"] = text(5) }
    let request = SignedRequest(method: text(0), path: text(1), query: text(2), headers: headers, body: fields[7])
    let claimed = verifier.claimedCaller(headers: headers, now: now)
    if let caller = try? verifier.verify(request, now: now) {
        // A request that verifies names the caller the headers claimed.
        precondition(claimed?.accessKeyId == caller.accessKeyId)
    }
    return 0
}

@_cdecl("FuzzSigV4_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { fuzz($0, $1) }
}
