import Foundation
import Testing
import VigilLogs
import VigilModel
import VigilTesting

@Suite struct LogKindTests {
    func classify(_ text: String, path: String = "x") -> Result<LogKind, SkipReason> {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { LogSniffer.classify(path: path, content: UnsafeRawBufferPointer($0)) }
    }

    @Test func recognisesKindsByContent() {
        #expect(classify(" \n{\"Records\" : [ ]}") == .success(.cloudTrailDocument))
        #expect(classify("{\"eventVersion\":\"1.08\",\"eventName\":\"A\"}\n") == .success(.cloudTrailLines))
        #expect(classify("{\"query_name\":\"a.\",\"query_timestamp\":\"2023-11-14T22:15:00Z\"}\n") == .success(.resolverLines))
        #expect(classify("{\"digestStartTime\":\"x\",\"logFiles\":[]}") == .failure(.cloudTrailDigest))
        #expect(classify("hello world\n") == .failure(.unrecognised))
        #expect(classify("{\"unrelated\":1}\n") == .failure(.unrecognised))
        #expect(classify("   \n") == .failure(.empty))
        #expect(classify("2 123 eni-1 - - - - - - - 1 2 - NODATA\n") == .success(.flowLog(.defaultFormat, hasHeader: false)))
        // A name says nothing when the content disagrees.
        #expect(classify("not a log", path: "AWSLogs/123456789012/CloudTrail/us-east-1/2023/11/14/x.json") == .failure(.unrecognised))
    }

    /// One descriptor per data source, each S3 folder claimed by one source, and every kind of file
    /// naming the source that recognised it.
    @Test func theRegistryHoldsEachSourceOnce() {
        let sources = LogSources.all
        #expect(Set(sources.map(\.dataSource)) == Set(DataSource.allCases))
        #expect(sources.count == DataSource.allCases.count)
        let services = sources.flatMap(\.s3Services)
        #expect(services.count == Set(services).count)
        for service in [S3LogPath.Service.cloudTrail, .cloudTrailDigest, .cloudTrailInsight, .vpcFlowLogs, .resolverQueryLogs] {
            #expect(LogSources.source(for: service) != nil, "\(service) has no source")
        }
        let kinds: [LogKind] = [.cloudTrailDocument, .cloudTrailLines, .resolverLines, .flowLog(.defaultFormat, hasHeader: false)]
        for kind in kinds {
            #expect(LogSources[kind.source].dataSource == kind.dataSource)
        }
        #expect(Set(kinds.map(\.source)).count == 3)
    }

    @Test func skipsDigestAndInsightFoldersByLayout() {
        #expect(classify("{\"Records\":[]}", path: "b/AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2023/11/14/d.json.gz") == .failure(.cloudTrailDigest))
        #expect(classify("{\"Records\":[]}", path: "b/AWSLogs/123456789012/CloudTrail-Insight/us-east-1/2023/11/14/d.json.gz") == .failure(.cloudTrailInsight))
    }

    @Test func parsesS3Layouts() throws {
        let org = try #require(S3LogPath(path: "bucket/prefix/AWSLogs/o-abc123/111122223333/CloudTrail/eu-west-1/2023/11/14/f.json.gz"))
        #expect(org.organizationId == "o-abc123")
        #expect(org.accountId == "111122223333")
        #expect(org.region == "eu-west-1")
        let hive = try #require(S3LogPath(path: "b/AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=us-east-2/year=2023/f.log.gz"))
        #expect(hive.service == .vpcFlowLogs)
        #expect(hive.region == "us-east-2")
        #expect(S3LogPath(path: "b/AWSLogs/notanaccount/CloudTrail/us-east-1/f") == nil)
        #expect(S3LogPath(path: "loose/file.json") == nil)
    }

    @Test func scanOfSamplesCountsSkippedFiles() throws {
        let reader = LogReader()
        let handler = RecordingHandler()
        for file in try LogFileFinder.files(under: [SharedData.path("samples")]) { reader.read(path: file, into: handler) }
        #expect(reader.statistics.skippedFiles[.unrecognised] ?? 0 > 0)  // the *.labels.tsv ground-truth files
        #expect(reader.statistics[.cloudTrail].files == 1)
        #expect(reader.statistics[.dns].files == 1)
        #expect(reader.statistics[.flowLogs].files >= 5)
        #expect(reader.statistics.totalBadRecords == 0)
    }

    @Test func fieldTablesMatchTheCLayout() {
        #expect(MemoryLayout<RawText>.size == 16)
        #expect(MemoryLayout<RawText>.stride == 16)
    }
}
