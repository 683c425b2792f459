import Foundation
import VigilGeo
import VigilLogs
import VigilModel

/// `UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B` — successful console logins of one principal
/// from places too far apart for the time between them ("impossible travel").
///
/// Each successful `ConsoleLogin` is located (the configured geolocation databases); when the
/// principal's previous success is at least ``BaselineSettings/travelMinimumKm`` away and reaching
/// it would need more than ``BaselineSettings/travelSpeedKmh``, the login is reported. Without
/// coordinates (a country-only database), two countries within two hours count as too far apart.
/// Keeps the last login of at most 65,536 principals (cleared when full).
public final class ConsoleLoginTravel: CloudTrailDetector {
    public let name = "console-login-travel"
    public static let type = FindingType.unauthorizedAccessIAMUserConsoleLoginSuccessB
    public let findingTypes = [ConsoleLoginTravel.type]
    public let eventNames: Set<String>? = ["ConsoleLogin"]

    struct Login {
        var time: Int64
        var address: String
        var location: IPLocation
    }

    private let settings: BaselineSettings
    private let geo: IPEnricher?
    private var last: [UInt64: Login] = [:]

    public init(settings: BaselineSettings = BaselineSettings(), geo: IPEnricher?) {
        self.settings = settings
        self.geo = geo
    }

    public func inspect(_ event: CloudTrailEvent, _ context: CloudTrailContext, into sink: FindingSink) {
        guard !event.errorCode.isPresent, event.responseElements.containsIgnoringCase("success"),
              let address = event.sourceAddress, let location = geo?.locate(address), location.countryCode != nil || location.latitude != nil
        else { return }
        let key = ByteHash.fnv1a(AnomalousBehaviour.principalKey(event).bytes)
        let time = event.eventTime.secondsSinceEpoch
        let login = Login(time: time, address: "\(address)", location: location)
        defer {
            if last.count >= 65_536 { last.removeAll(keepingCapacity: true) }
            if (last[key]?.time ?? .min) <= time { last[key] = login }
        }
        guard let previous = last[key], previous.address != login.address else { return }
        let hours = Double(abs(time - previous.time)) / 3600
        let impossible: Bool
        var distance: Double?
        if let km = Self.kilometres(previous.location, location) {
            distance = km
            impossible = km >= settings.travelMinimumKm && km / max(hours, 1.0 / 60) > settings.travelSpeedKmh
        } else {
            impossible = previous.location.countryCode != location.countryCode && hours < 2
        }
        guard impossible else { return }
        let from = Self.place(previous.location), to = Self.place(location)
        var details = ["previousLogin": "\(Timestamp(secondsSinceEpoch: previous.time).iso8601) from \(previous.address) (\(from))",
                       "hoursBetween": hours.text(decimals: 2)]
        if let distance { details["distanceKm"] = distance.text(decimals: 0) }
        sink.report(context.observation(
            Self.type,
            title: "\(context.principalDescription.capitalizedFirst) logged in to the console from places too far apart.",
            description: "\(context.principalDescription.capitalizedFirst) logged in to the AWS console from \(login.address) (\(to)) \(hours.text(decimals: 1)) hours after logging in from \(previous.address) (\(from))\(distance.map { ", \($0.text(decimals: 0)) km away" } ?? ""): one of the two is probably not the user.",
            identity: .init(resource: AnomalousBehaviour.principalKey(event).string ?? "unknown", actor: location.countryCode ?? login.address),
            details: details))
    }

    static func place(_ l: IPLocation) -> String {
        [l.city, l.countryName ?? l.countryCode].compactMap { $0 }.joined(separator: ", ")
    }

    /// Great-circle distance between two located addresses, when both have coordinates.
    static func kilometres(_ a: IPLocation, _ b: IPLocation) -> Double? {
        guard let lat1 = a.latitude, let lon1 = a.longitude, let lat2 = b.latitude, let lon2 = b.longitude else { return nil }
        let r = Double.pi / 180
        let dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r
        let h = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * r) * cos(lat2 * r) * sin(dlon / 2) * sin(dlon / 2)
        return 6371 * 2 * atan2(sqrt(h), sqrt(max(0, 1 - h)))
    }
}
