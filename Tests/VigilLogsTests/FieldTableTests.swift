import CVigilJSON
import Foundation
import Testing
import VigilLogs
import VigilTesting

/// The C parser's field tables (`vj_ct_field`, `vj_dns_field`) and Swift's (`CloudTrailField`,
/// `ResolverField`) are two lists of the same fields in the same order. A record holding a distinct
/// value at every field's path is read, and every Swift field must find its own value — a field
/// added, removed or moved on one side only fails here.
@Suite struct FieldTableTests {
    /// A nested JSON object with `value(field)` at each of `paths`.
    static func record(_ entries: [(path: String, value: Any)]) -> [String: Any] {
        var root: [String: Any] = [:]
        func put(_ keys: ArraySlice<Substring>, _ value: Any, into object: inout [String: Any]) {
            guard let first = keys.first else { return }
            if keys.count == 1 {
                object[String(first)] = value
            } else {
                var child = object[String(first)] as? [String: Any] ?? [:]
                put(keys.dropFirst(), value, into: &child)
                object[String(first)] = child
            }
        }
        for (path, value) in entries { put(path.split(separator: ".")[...], value, into: &root) }
        return root
    }

    static func read(_ text: String) -> RecordingHandler {
        let handler = RecordingHandler()
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { _ = LogReader().read(bytes: $0, path: "fields.json", into: handler) }
        return handler
    }

    @Test func cloudTrailTablesAgree() throws {
        #expect(CloudTrailField.allCases.count == Int(VJ_CT_FIELD_COUNT.rawValue))
        func value(_ field: CloudTrailField) -> Any {
            switch field {
            case .eventTime: "2023-11-14T22:15:00Z"
            case _ where field.isRawJSON: ["v-\(field)"]
            default: "v-\(field)"
            }
        }
        let event = Self.record(CloudTrailField.allCases.map { ($0.path, value($0)) })
        let text = String(decoding: try JSONSerialization.data(withJSONObject: ["Records": [event]], options: [.sortedKeys]), as: UTF8.self)
        let read = try #require(Self.read(text).cloudTrail.first)
        for field in CloudTrailField.allCases {
            let expected = field == .eventTime ? "2023-11-14T22:15:00Z" : field.isRawJSON ? "[\"v-\(field)\"]" : "v-\(field)"
            #expect(read[field] == expected, "\(field) at \(field.path)")
        }
    }

    @Test func resolverTablesAgree() throws {
        #expect(ResolverField.allCases.count == Int(VJ_DNS_FIELD_COUNT.rawValue))
        func value(_ field: ResolverField) -> Any {
            switch field {
            case .queryTimestamp: "2023-11-14T22:15:00Z"
            case .answers: ["v-answers"]
            case .srcaddr: "10.0.0.7"
            case .queryName: "v-queryname.example.com."
            default: "v-\(field)"
            }
        }
        let record = Self.record(ResolverField.allCases.map { ($0.path, value($0)) })
        let text = String(decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self) + "\n"
        let read = try #require(Self.read(text).queries.first)
        for field in ResolverField.allCases {
            let expected = switch field {
            case .answers: "[\"v-answers\"]"
            default: value(field) as? String ?? ""
            }
            #expect(read[field] == expected, "\(field) at \(field.path)")
        }
    }
}
