import Testing
import VigilPublish

/// Which publishing destinations are written to S3 itself: only inside the buckets (and prefixes)
/// the operator allowed for the destination's own account.
@Suite struct ExportBucketsTests {
    @Test func onlyTheAccountsOwnAllowedPlaces() {
        let exports = ExportFolders(roots: ["/tmp/x"], buckets: ["111111111111": ["findings/guardduty", "whole-bucket"]])
        #expect(exports.s3Place(for: "arn:aws:s3:::findings/guardduty", account: "111111111111") == "findings/guardduty")
        #expect(exports.s3Place(for: "arn:aws:s3:::findings/guardduty/prod/", account: "111111111111") == "findings/guardduty/prod")
        #expect(exports.s3Place(for: "arn:aws:s3:::whole-bucket", account: "111111111111") == "whole-bucket")
        #expect(exports.s3Place(for: "arn:aws:s3:::findings/guarddutyx", account: "111111111111") == nil)
        #expect(exports.s3Place(for: "arn:aws:s3:::findings", account: "111111111111") == nil)
        #expect(exports.s3Place(for: "arn:aws:s3:::findings/guardduty", account: "222222222222") == nil)
        #expect(exports.s3Place(for: "arn:aws:s3:::findings/guardduty/../other", account: "111111111111") == nil)
        #expect(exports.s3Place(for: "arn:aws:s3:::findings/guardduty/a|b", account: "111111111111") == nil)
        #expect(exports.s3Place(for: "file:///tmp/x/111111111111", account: "111111111111") == nil)
    }
}
