import Foundation
import VigilAWS

/// Downloads log objects with a bounded number — and bounded bytes — in flight, handing them back
/// in the order asked. An object's whole body is held (the readers parse a document whole, as they
/// map a local file whole), so the memory a round takes is bounded by ``maximumBytesInFlight`` (a
/// single larger object is still fetched, alone) and each object by ``maximumBytes``.
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
    /// The most bytes (by the sizes the listing or notification gave) downloading at once.
    public let maximumBytesInFlight: Int

    public init(client: S3Client, parallel: Int = 8, maximumBytes: Int = 1 << 30, maximumBytesInFlight: Int = 256 << 20) {
        self.client = client
        self.parallel = max(1, parallel)
        self.maximumBytes = maximumBytes
        self.maximumBytesInFlight = maximumBytesInFlight
    }

    /// `objects` of `bucket`, fetched at most ``parallel`` at a time, in the order given.
    public func fetch(_ objects: [S3Client.Object], bucket: String) async -> [Fetched] {
        var results = [Fetched?](repeating: nil, count: objects.count)
        await withTaskGroup(of: (Int, Fetched).self) { group in
            var next = 0
            var running = 0
            var bytesInFlight = 0
            func start() {
                let index = next, object = objects[index]
                next += 1
                running += 1
                bytesInFlight += max(0, object.size)
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
            /// Whether the next object may start: a slot free and its bytes within the budget (or nothing running).
            func mayStart() -> Bool {
                next < objects.count && running < parallel && (running == 0 || bytesInFlight + max(0, objects[next].size) <= maximumBytesInFlight)
            }
            while mayStart() { start() }
            for await (index, fetched) in group {
                results[index] = fetched
                running -= 1
                bytesInFlight -= max(0, fetched.object.size)
                while mayStart() { start() }
            }
        }
        return results.map { $0! }
    }
}
