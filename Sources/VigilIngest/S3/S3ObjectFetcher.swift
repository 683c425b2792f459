import Foundation
import VigilAWS

/// Downloads log objects with a bounded number in flight, handing them back in the order asked.
public struct S3ObjectFetcher: Sendable {
    /// One object's bytes, or why it could not be read.
    public struct Fetched: Sendable {
        /// `s3://bucket/key`, as reports name it.
        public var name: String
        public var object: S3Client.Object
        public var bytes: Result<[UInt8], AWSError>
    }

    private let client: S3Client
    /// Downloads in flight at most.
    public let parallel: Int
    /// The largest object read (a larger one is reported, as a larger local file is).
    public let maximumBytes: Int

    public init(client: S3Client, parallel: Int = 8, maximumBytes: Int = 1 << 30) {
        self.client = client
        self.parallel = max(1, parallel)
        self.maximumBytes = maximumBytes
    }

    /// `objects` of `bucket`, fetched at most ``parallel`` at a time, in the order given.
    public func fetch(_ objects: [S3Client.Object], bucket: String) async -> [Fetched] {
        var results = [Fetched?](repeating: nil, count: objects.count)
        await withTaskGroup(of: (Int, Fetched).self) { group in
            var next = 0
            func start() {
                let index = next, object = objects[index]
                next += 1
                group.addTask {
                    let name = "s3://\(bucket)/\(object.key)"
                    do {
                        return (index, Fetched(name: name, object: object,
                                               bytes: .success(try await client.getObject(bucket: bucket, key: object.key, maximumBytes: maximumBytes))))
                    } catch let error as AWSError {
                        return (index, Fetched(name: name, object: object, bytes: .failure(error)))
                    } catch {
                        return (index, Fetched(name: name, object: object, bytes: .failure(.transport("\(error)"))))
                    }
                }
            }
            while next < min(parallel, objects.count) { start() }
            for await (index, fetched) in group {
                results[index] = fetched
                if next < objects.count { start() }
            }
        }
        return results.map { $0! }
    }
}
