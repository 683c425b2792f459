/// What every libFuzzer target shares: handing the process to libFuzzer's driver.
///
/// SwiftPM links an executable's entry point as `<module>_main`; each target defines that symbol
/// (with `@_cdecl`) and calls ``runFuzzer(_:_:_:)`` with its test function.

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ test: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt

/// Runs libFuzzer with the process's arguments and `test` (the target's `LLVMFuzzerTestOneInput`).
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                      _ test: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments, test)
}
