import Testing
@testable import VigilAPI

/// What a detector keeps of the data sources and features it is given.
@Suite struct DetectorSettingsTests {
    @Test func dataSourcesAsShownAndFeaturesBounded() {
        var settings = DetectorSettings().updated(with: ["dataSources": ["s3Logs": ["enable": true], "kubernetes": ["auditLogs": ["enable": false]]]])
        #expect((settings.dataSources["s3Logs"] as? [String: String]) == ["status": "ENABLED"])
        // Features replace by name; `--test-mode` takes any name, so new names stop at the cap.
        for round in 0..<10 {
            settings = settings.updated(with: ["features": (0..<10).map { ["name": "F\(round)-\($0)", "status": "ENABLED"] as [String: Any] }])
        }
        #expect(settings.features.count == DetectorSettings.maximumFeatures)
        settings = settings.updated(with: ["features": [["name": "F0-0", "status": "DISABLED"] as [String: Any]]])
        #expect(settings.features.first?["status"] as? String == "DISABLED")
        let reread = DetectorSettings(text: settings.text)
        #expect(reread.features.count == DetectorSettings.maximumFeatures)
    }
}
