import Foundation

/// Where a service is reached: AWS's regional endpoint, or the one the environment names as the
/// AWS SDKs read it — `AWS_ENDPOINT_URL_<SERVICE>` (`AWS_ENDPOINT_URL_S3`), else
/// `AWS_ENDPOINT_URL` — for S3-compatible stores, local peers and VPC endpoints.
public struct AWSEndpoint: Sendable, Equatable {
    public var scheme: String
    public var host: String
    public var port: Int?
    /// A path every request's path is appended to (an endpoint URL with a path).
    public var basePath: String
    /// Whether the endpoint came from the environment (S3 then uses path-style addressing).
    public var isCustom: Bool

    public init(scheme: String, host: String, port: Int? = nil, basePath: String = "", isCustom: Bool) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = basePath
        self.isCustom = isCustom
    }

    /// An endpoint from a URL (`http://127.0.0.1:5000`); `nil` unless http(s) with a host.
    public init?(url text: String, isCustom: Bool = true) {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else { return nil }
        self.init(scheme: scheme, host: host, port: url.port, basePath: url.path.hasSuffix("/") ? String(url.path.dropLast()) : url.path,
                  isCustom: isCustom)
    }

    /// The endpoint of `service` (its SDK identifier: `s3`, `sqs`, `sts`, `sns`, `events`,
    /// `securityhub`) in `region`.
    public static func resolve(service: String, region: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> AWSEndpoint {
        let variable = "AWS_ENDPOINT_URL_" + environmentName(service)
        for name in [variable, "AWS_ENDPOINT_URL"] {
            if let text = environment[name], !text.isEmpty, let endpoint = AWSEndpoint(url: text) { return endpoint }
        }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return AWSEndpoint(scheme: "https", host: "\(service).\(region).\(suffix)", isCustom: false)
    }

    /// The service's part of the variable's name, as the SDKs spell it.
    static func environmentName(_ service: String) -> String {
        switch service {
        case "events": return "EVENTBRIDGE"
        default: return service.uppercased().replacingOccurrences(of: "-", with: "_")
        }
    }

    /// The `Host` header: the host, with the port when it is not the scheme's default.
    public var hostHeader: String {
        guard let port, !(scheme == "http" && port == 80), !(scheme == "https" && port == 443) else { return host }
        return "\(host):\(port)"
    }

    /// The URL of `path` (already encoded) and `query`.
    public func url(path: String, query: String) -> String {
        "\(scheme)://\(hostHeader)\(basePath)\(path)" + (query.isEmpty ? "" : "?\(query)")
    }
}
