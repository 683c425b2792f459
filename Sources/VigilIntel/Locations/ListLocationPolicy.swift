import CVigilFetch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import VigilModel

/// Where the lists API callers name may be read from — the operator's allowlist, because a
/// location is a request to read a file or open a connection on the server's behalf.
///
/// - A local location (`/path` or `file:///path`) must be a regular file inside one of
///   ``folders`` once every symbolic link is resolved; a folder may hold `{account}`, which stands
///   for the caller's account, so each tenant reads only its own subfolder.
/// - A URL must be `http`/`https` under one of ``urlPrefixes`` (same scheme, host and port, the
///   path under the prefix's, no `.`/`..` segments, no user name), and its host must resolve to a
///   public address — never loopback, link-local, private or other special ranges unless the
///   operator lists them in ``privateNetworks``. The connection goes to the address that was checked
///   (a second DNS answer cannot redirect it), follows no redirect, reads at most ``maximumBytes``
///   and takes at most ``timeout`` seconds in all.
///
/// Every location outside the allowlist is refused with the same words, whatever is there, so
/// the answers tell a caller nothing about the server's files or network.
public struct ListLocationPolicy: Sendable {
    /// Folders lists may be read from (absolute; `{account}` for the caller's account).
    public var folders: [String]
    /// URL prefixes lists may be fetched from.
    public var urlPrefixes: [String]
    /// Non-public address ranges URLs may still reach (the operator's own list servers).
    public var privateNetworks: [String]
    /// The largest list read (35 MiB, GuardDuty's own limit).
    public var maximumBytes = 35 << 20
    /// The longest a fetch may take, seconds.
    public var timeout: Double = 30

    public init(folders: [String], urlPrefixes: [String] = [], privateNetworks: [String] = []) {
        self.folders = folders
        self.urlPrefixes = urlPrefixes
        self.privateNetworks = privateNetworks
    }

    /// The words of every refusal.
    public static let refusal = "the location is not one this server reads lists from (see its listLocations)"

    /// Why a list cannot be read.
    public struct Failure: Error, Sendable, CustomStringConvertible, Equatable {
        public let reason: String
        public var description: String { reason }
        public init(reason: String) { self.reason = reason }
        static let refused = Failure(reason: ListLocationPolicy.refusal)
    }

    /// A checked location.
    public enum Checked: Sendable, Equatable {
        /// A regular file, by its real path.
        case file(String)
        /// A URL and the address to connect to.
        case url(String, host: String, port: Int, address: String)
    }

    /// Checks `location` for a caller of `account`. Resolves the URL's host (a DNS query).
    public func check(_ location: String, account: String) throws(Failure) -> Checked {
        if location.hasPrefix("/") { return try checkFile(location, account: account) }
        guard let url = URL(string: location), let scheme = url.scheme?.lowercased() else { throw .refused }
        if scheme == "file" {
            guard url.host == nil || url.host == "" || url.host == "localhost" else { throw .refused }
            return try checkFile(url.path, account: account)
        }
        guard scheme == "http" || scheme == "https" else { throw .refused }
        return try checkURL(url, scheme: scheme, resolving: true)
    }

    /// Whether `location` is inside the allowlist, without resolving a URL's host (for a copy fetched
    /// before): the same checks as ``check(_:account:)`` but the address's.
    public func allows(_ location: String, account: String) -> Bool {
        if location.hasPrefix("/") { return (try? checkFile(location, account: account)) != nil || isMissingInside(location, account: account) }
        guard let url = URL(string: location), let scheme = url.scheme?.lowercased() else { return false }
        if scheme == "file" { return (try? checkFile(url.path, account: account)) != nil || isMissingInside(url.path, account: account) }
        return (scheme == "http" || scheme == "https") && (try? checkURL(url, scheme: scheme, resolving: false)) != nil
    }

    func isMissingInside(_ path: String, account: String) -> Bool {
        do { _ = try checkFile(path, account: account) } catch { return error != .refused }
        return false
    }

    /// Reads the list at a checked location: at most ``maximumBytes``.
    public func read(_ checked: Checked) throws(Failure) -> Data {
        switch checked {
        case .file(let path): return try Self.readFile(path, limit: maximumBytes)
        case .url(let url, let host, let port, let address):
            var result = vf_result()
            let code = vf_fetch(url, host, Int32(port), address, maximumBytes, Int(timeout * 1000), &result)
            defer { vf_result_free(&result) }
            let reason = withUnsafeBytes(of: result.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard code == Int32(VF_OK) else { throw Failure(reason: "cannot fetch \(url): \(reason)") }
            return result.data.map { Data(bytes: $0, count: result.count) } ?? Data()
        }
    }

    // MARK: Files

    func checkFile(_ path: String, account: String) throws(Failure) -> Checked {
        let decoded = path.removingPercentEncoding ?? path
        guard decoded.hasPrefix("/"), !decoded.contains("\0") else { throw .refused }
        let allowed = folders.compactMap { Self.realPath($0.replacingOccurrences(of: "{account}", with: account)) }
        func inside(_ real: String) -> Bool { allowed.contains { real.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") } }
        guard let real = Self.realPath(decoded) else {
            // Missing: say so only when its folder is an allowed one.
            let folder = (decoded as NSString).deletingLastPathComponent
            if let parent = Self.realPath(folder), inside(parent + "/x") { throw Failure(reason: "no list at \(path)") }
            throw .refused
        }
        guard inside(real) else { throw .refused }
        var info = stat()
        guard stat(real, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { throw Failure(reason: "\(path) is not a regular file") }
        return .file(real)
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// A file's bytes, refusing more than `limit` (read through the open file, so a file that grows
    /// meanwhile cannot exceed it).
    public static func readFile(_ path: String, limit: Int) throws(Failure) -> Data {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else { throw Failure(reason: "cannot read \(path)") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { throw Failure(reason: "\(path) is not a regular file") }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if n < 0 { throw Failure(reason: "cannot read \(path)") }
            if n == 0 { break }
            data.append(contentsOf: buffer[0..<n])
            if data.count > limit { throw Failure(reason: "the list is larger than \(limit) bytes") }
        }
        return data
    }

    // MARK: URLs

    func checkURL(_ url: URL, scheme: String, resolving: Bool) throws(Failure) -> Checked {
        guard let host = url.host?.lowercased(), !host.isEmpty, url.user == nil, url.password == nil else { throw .refused }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        let path = url.path.isEmpty ? "/" : url.path
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map { $0.removingPercentEncoding ?? String($0) }
        guard !segments.contains("."), !segments.contains("..") else { throw .refused }
        let underPrefix = urlPrefixes.contains { prefix in
            guard let p = URL(string: prefix), p.scheme?.lowercased() == scheme, p.host?.lowercased() == host,
                  (p.port ?? (scheme == "https" ? 443 : 80)) == port else { return false }
            let base = p.path.isEmpty ? "/" : p.path
            return path == base || path.hasPrefix(base.hasSuffix("/") ? base : base + "/")
        }
        guard underPrefix else { throw .refused }
        guard resolving else { return .url(url.absoluteString, host: host, port: port, address: "") }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let ranges = privateNetworks.compactMap { IPPrefix($0) }
        let candidates = IPAddress(bare).map { [$0] } ?? Self.resolve(bare)
        guard let address = candidates.first(where: { a in a.isPubliclyRoutable || ranges.contains { $0.contains(a) } }) else { throw .refused }
        return .url(url.absoluteString, host: bare, port: port, address: address.description)
    }

    /// The addresses `host` resolves to.
    static func resolve(_ host: String) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var out: [IPAddress] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            if let sa = current.pointee.ai_addr {
                if current.pointee.ai_family == AF_INET {
                    sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                        var a = sin.pointee.sin_addr
                        _ = inet_ntop(AF_INET, &a, &text, socklen_t(text.count))
                    }
                } else if current.pointee.ai_family == AF_INET6 {
                    sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin in
                        var a = sin.pointee.sin6_addr
                        _ = inet_ntop(AF_INET6, &a, &text, socklen_t(text.count))
                    }
                }
            }
            if let address = IPAddress(String(cString: text)), !out.contains(address) { out.append(address) }
            node = current.pointee.ai_next
        }
        return out
    }
}
