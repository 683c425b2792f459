import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The S3 calls Vigil makes to read logs in place: ListObjectsV2 and GetObject.
///
/// Addressing as the SDKs do it: virtual-hosted (`bucket.s3.region.amazonaws.com`) on AWS, path-
/// style (`endpoint/bucket/key`) on an endpoint from the environment (S3-compatible stores, local
/// peers) or for bucket names with dots. A bucket in another region is followed once to the region
/// S3 names (`x-amz-bucket-region`).
public struct S3Client: Sendable {
    /// An object as a listing shows it.
    public struct Object: Sendable, Hashable {
        public var key: String
        /// The entity tag, without quotes: with the key, what a checkpoint remembers.
        public var eTag: String
        public var size: Int
        public var lastModified: Date?
        public init(key: String, eTag: String, size: Int, lastModified: Date? = nil) {
            self.key = key
            self.eTag = eTag
            self.size = size
            self.lastModified = lastModified
        }
    }

    /// One page of a listing.
    public struct Page: Sendable {
        public var objects: [Object]
        /// With a delimiter: the "folders" one level down.
        public var commonPrefixes: [String]
        /// Where the next page starts; `nil` on the last.
        public var continuationToken: String?
    }

    private let credentials: any CredentialProvider
    private let region: String
    private let environment: [String: String]
    private let http: HTTPClient

    public init(credentials: any CredentialProvider, region: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                http: HTTPClient = AWSHTTPClient.sharedHTTP) {
        self.credentials = credentials
        self.region = region
        self.environment = environment
        self.http = http
    }

    /// One page of ListObjectsV2 under `prefix`.
    public func listPage(bucket: String, prefix: String, delimiter: String? = nil, startAfter: String? = nil,
                         continuationToken: String? = nil, maxKeys: Int = 1000) async throws -> Page {
        var query: [(String, String)] = [("list-type", "2"), ("max-keys", String(maxKeys))]
        if !prefix.isEmpty { query.append(("prefix", prefix)) }
        if let delimiter { query.append(("delimiter", delimiter)) }
        if let startAfter, continuationToken == nil { query.append(("start-after", startAfter)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        query.sort { $0.0 < $1.0 }
        let response = try await send(bucket: bucket, key: nil, query: query, maximumBytes: 16 << 20)
        guard let tree = XMLTree.parse(response.body), tree.name == "ListBucketResult" else {
            throw AWSError.response("s3://\(bucket)/\(prefix): the listing is not a ListBucketResult")
        }
        let objects = tree.children("Contents").compactMap { item -> Object? in
            guard let key = item.text("Key") else { return nil }
            let tag = (item.text("ETag") ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return Object(key: key, eTag: tag, size: Int(item.text("Size") ?? "") ?? 0, lastModified: item.text("LastModified").flatMap(AWSDate.parse))
        }
        let prefixes = tree.children("CommonPrefixes").compactMap { $0.text("Prefix") }
        let truncated = tree.text("IsTruncated") == "true"
        return Page(objects: objects, commonPrefixes: prefixes, continuationToken: truncated ? tree.text("NextContinuationToken") : nil)
    }

    /// Every object under `prefix` whose key sorts after `startAfter`, page by page, in key order.
    public func listAll(bucket: String, prefix: String, startAfter: String? = nil) async throws -> [Object] {
        var objects: [Object] = []
        var token: String?
        repeat {
            let page = try await listPage(bucket: bucket, prefix: prefix, startAfter: startAfter, continuationToken: token)
            objects += page.objects
            token = page.continuationToken
        } while token != nil
        return objects
    }

    /// The "folders" one level below `prefix` (keys up to the next `/`).
    public func folders(bucket: String, prefix: String) async throws -> [String] {
        var folders: [String] = []
        var token: String?
        repeat {
            let page = try await listPage(bucket: bucket, prefix: prefix, delimiter: "/", continuationToken: token)
            folders += page.commonPrefixes
            token = page.continuationToken
        } while token != nil
        return folders
    }

    /// An object's bytes, at most `maximumBytes` (a larger object fails, as a larger local file does).
    public func getObject(bucket: String, key: String, maximumBytes: Int) async throws -> [UInt8] {
        try await send(bucket: bucket, key: key, query: [], maximumBytes: maximumBytes).body
    }

    /// Writes an object (`headers`: content type, server-side encryption, …).
    public func putObject(bucket: String, key: String, body: [UInt8], headers: [String: String] = [:]) async throws {
        _ = try await send(bucket: bucket, key: key, query: [], maximumBytes: 1 << 20, method: .PUT, headers: headers, body: body)
    }

    private func send(bucket: String, key: String?, query: [(String, String)], maximumBytes: Int, method: HTTPMethod = .GET,
                      headers: [String: String] = [:], body: [UInt8] = []) async throws -> AWSHTTPClient.Response {
        let queryText = query.map { "\(SigV4.encode($0.0, keepSlash: false))=\(SigV4.encode($0.1, keepSlash: false))" }.joined(separator: "&")
        var region = self.region
        for attempt in 0..<2 {
            var endpoint = AWSEndpoint.resolve(service: "s3", region: region, environment: environment)
            let keyPath = key.map { "/" + SigV4.encode($0, keepSlash: true) } ?? "/"
            let path: String
            if endpoint.isCustom || bucket.contains(".") {
                path = "/\(bucket)" + (key == nil ? "" : keyPath)
            } else {
                endpoint.host = "\(bucket).\(endpoint.host)"
                path = keyPath
            }
            let client = AWSHTTPClient(credentials: credentials, region: region, http: http)
            do {
                return try await client.send(service: "s3", endpoint: endpoint, method: method, path: path, query: queryText, headers: headers,
                                             body: body, maximumBytes: maximumBytes)
            } catch let error as AWSError where attempt == 0 && (error.code == "PermanentRedirect" || error.code == "AuthorizationHeaderMalformed") {
                // The bucket lives in another region: S3 names it in the error's body.
                guard let named = error.bucketRegion, named != region else { throw error }
                region = named
            }
        }
        throw AWSError.response("s3://\(bucket): redirected more than once")
    }
}
