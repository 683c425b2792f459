#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging

/// Tells the folder watcher when something changed under its folders, through Linux's inotify
/// (files finished or moved in, lines appended, folders made — new folders are watched as they
/// appear), so a log file is analysed as it lands rather than at the next poll. Where inotify is
/// missing or its watches run out, nothing signals and the watcher's polling alone finds new
/// files. At most ``maximumWatches`` folders are watched.
final class FolderEvents: @unchecked Sendable {
    static let maximumWatches = 8192
    let signal = ChangeSignal()
    private let descriptor: Int32
    private let logger: Logger
    private var watches: [Int32: String] = [:]
    private var thread: Thread?

    /// Watches `folders` and every folder under them; `nil` when inotify is not available.
    init?(folders: [String], logger: Logger) {
        #if canImport(Glibc)
        descriptor = inotify_init1(Int32(IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        self.logger = logger
        for folder in folders { watchTree(folder) }
        #else
        return nil
        #endif
    }

    deinit {
        #if canImport(Glibc)
        close(descriptor)
        #endif
    }

    /// Starts reading events on a thread of its own.
    func start() {
        let thread = Thread { [self] in self.readEvents() }
        thread.name = "vigil-folder-events"
        self.thread = thread
        thread.start()
    }

    #if canImport(Glibc)
    private static let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MODIFY | IN_CREATE)

    private func watchTree(_ folder: String) {
        watch(folder)
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return }
        while let relative = enumerator.nextObject() as? String {
            guard watches.count < Self.maximumWatches else { return }
            let path = (folder as NSString).appendingPathComponent(relative)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue { watch(path) }
        }
    }

    private func watch(_ folder: String) {
        guard watches.count < Self.maximumWatches else {
            logger.warning("more than \(Self.maximumWatches) folders under the watched ones: the others are found by polling")
            return
        }
        let wd = inotify_add_watch(descriptor, folder, Self.mask)
        if wd >= 0 { watches[wd] = folder }
    }

    private func readEvents() {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else {
                if count < 0, errno == EINTR { continue }
                return
            }
            var offset = 0
            var changed = false
            while offset + MemoryLayout<inotify_event>.size <= count {
                let (wd, mask, length) = buffer.withUnsafeBytes { raw -> (Int32, UInt32, Int) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    return (event.wd, event.mask, Int(event.len))
                }
                let nameStart = offset + MemoryLayout<inotify_event>.size
                if mask & UInt32(IN_ISDIR) != 0, mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0, let parent = watches[wd] {
                    let name = String(decoding: buffer[nameStart..<min(nameStart + length, count)].prefix { $0 != 0 }, as: UTF8.self)
                    watchTree((parent as NSString).appendingPathComponent(name))
                }
                changed = true
                offset = nameStart + length
            }
            if changed { signal.signal() }
        }
    }
    #endif
}

/// A wake-up call between one waiter and any number of signallers: a signal given while nobody
/// waits is kept for the next wait.
final class ChangeSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var pending = false
    private var waiter: CheckedContinuation<Void, Never>?

    func signal() {
        lock.lock()
        if let waiter {
            self.waiter = nil
            lock.unlock()
            waiter.resume()
        } else {
            pending = true
            lock.unlock()
        }
    }

    /// Returns at the next signal (at once if one is pending), or after `timeout`.
    func wait(upTo timeout: Duration) async {
        let alarm = Task {
            try? await Task.sleep(for: timeout)
            if !Task.isCancelled { self.signal() }
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if pending {
                pending = false
                lock.unlock()
                continuation.resume()
            } else {
                waiter = continuation
                lock.unlock()
            }
        }
        alarm.cancel()
    }
}
