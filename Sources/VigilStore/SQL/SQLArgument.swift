/// A value bound to a statement's placeholder.
public enum SQLArgument: Sendable, Equatable {
    case text(String)
    case real(Double)
    case integer(Int)
    case boolean(Bool)
}
