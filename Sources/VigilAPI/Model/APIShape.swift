/// A shape of GuardDuty's API model — botocore's `service-2.json`, the reference for every member,
/// type and constraint: what a value must be (its kind) and the constraints the model puts on it
/// (lengths, ranges, a pattern, allowed values, required members).
///
/// Vigil declares the shapes of every input it accepts (``GuardDutyModel``); one generic
/// ``RequestValidator`` checks requests against them, and a test compares the declarations with
/// botocore's model, so neither can drift from GuardDuty.
public final class APIShape: Sendable {
    public enum Kind: String, Sendable {
        case string, boolean, integer, long, double, timestamp, list, map, structure
    }

    /// The model's name for the shape (`DetectorId`, `TagMap`).
    public let name: String
    public let kind: Kind
    /// Lower bound: length of a string, count of a list or map, value of a number.
    public let min: Int64?
    /// Upper bound, likewise.
    public let max: Int64?
    /// A regular expression the whole string must match.
    public let pattern: String?
    /// The values a string may take.
    public let allowedValues: [String]?
    /// A list's member shape.
    public let member: APIShape?
    /// A map's key and value shapes.
    public let key: APIShape?
    public let value: APIShape?
    /// A structure's members, in the model's order.
    public let members: [APIMember]
    /// The compiled ``pattern``.
    let compiledPattern: ShapePattern?

    init(name: String, kind: Kind, min: Int64? = nil, max: Int64? = nil, pattern: String? = nil, allowedValues: [String]? = nil,
         member: APIShape? = nil, key: APIShape? = nil, value: APIShape? = nil, members: [APIMember] = []) {
        self.name = name
        self.kind = kind
        self.min = min
        self.max = max
        self.pattern = pattern
        self.allowedValues = allowedValues
        self.member = member
        self.key = key
        self.value = value
        self.members = members
        compiledPattern = pattern.map(ShapePattern.init)
    }

    public static func string(_ name: String, min: Int64? = nil, max: Int64? = nil, pattern: String? = nil, oneOf values: [String]? = nil) -> APIShape {
        APIShape(name: name, kind: .string, min: min, max: max, pattern: pattern, allowedValues: values)
    }

    public static func integer(_ name: String, min: Int64? = nil, max: Int64? = nil) -> APIShape {
        APIShape(name: name, kind: .integer, min: min, max: max)
    }

    public static func long(_ name: String, min: Int64? = nil, max: Int64? = nil) -> APIShape {
        APIShape(name: name, kind: .long, min: min, max: max)
    }

    public static func boolean(_ name: String) -> APIShape { APIShape(name: name, kind: .boolean) }
    public static func double(_ name: String) -> APIShape { APIShape(name: name, kind: .double) }
    public static func timestamp(_ name: String) -> APIShape { APIShape(name: name, kind: .timestamp) }

    public static func list(_ name: String, of member: APIShape, min: Int64? = nil, max: Int64? = nil) -> APIShape {
        APIShape(name: name, kind: .list, min: min, max: max, member: member)
    }

    public static func map(_ name: String, key: APIShape, value: APIShape, min: Int64? = nil, max: Int64? = nil) -> APIShape {
        APIShape(name: name, kind: .map, min: min, max: max, key: key, value: value)
    }

    public static func structure(_ name: String, _ members: [APIMember]) -> APIShape {
        APIShape(name: name, kind: .structure, members: members)
    }

    /// The member whose wire name (body member or query parameter) is `name`.
    func member(named name: String) -> APIMember? { members.first { $0.locationName == name } }
}
