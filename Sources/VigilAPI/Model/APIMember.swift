/// A member of a structure shape: its name in the model, its shape, where a request carries it
/// and under which name, and whether it is required.
public struct APIMember: Sendable {
    /// Where a request carries a member.
    public enum Location: String, Sendable {
        /// A member of the JSON body.
        case body
        /// A `{Label}` of the request URI.
        case uri
        /// A query-string parameter.
        case querystring
    }

    /// The model's member name (`DetectorId`).
    public let name: String
    public let shape: APIShape
    public let location: Location
    /// The name on the wire: the body member (`detectorId`), URI label or query parameter.
    public let locationName: String
    public let required: Bool

    public init(name: String, shape: APIShape, location: Location, locationName: String, required: Bool) {
        self.name = name
        self.shape = shape
        self.location = location
        self.locationName = locationName
        self.required = required
    }

    /// A body member.
    public init(_ name: String, _ shape: APIShape, _ locationName: String, required: Bool = false) {
        self.init(name: name, shape: shape, location: .body, locationName: locationName, required: required)
    }

    /// A member taken from the URI label `uri`.
    public init(_ name: String, _ shape: APIShape, uri label: String, required: Bool = false) {
        self.init(name: name, shape: shape, location: .uri, locationName: label, required: required)
    }

    /// A member taken from the query parameter `query`.
    public init(_ name: String, _ shape: APIShape, query parameter: String, required: Bool = false) {
        self.init(name: name, shape: shape, location: .querystring, locationName: parameter, required: required)
    }
}
