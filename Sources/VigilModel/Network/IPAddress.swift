/// An IPv4 or IPv6 address as a 128-bit value. IPv4 addresses are held in their IPv4-mapped form
/// (`::ffff:a.b.c.d`), so one type keys every table and sorts both families together.
public struct IPAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The upper 64 bits, in network order.
    public let high: UInt64
    /// The lower 64 bits, in network order.
    public let low: UInt64

    @inlinable
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// An IPv4 address from its 32-bit value (`a.b.c.d` is `a<<24 | b<<16 | c<<8 | d`).
    @inlinable
    public init(ipv4: UInt32) {
        self.high = 0
        self.low = 0xffff_0000_0000 | UInt64(ipv4)
    }

    @inlinable
    public var isIPv4: Bool { high == 0 && (low >> 32) == 0xffff }

    /// The 32-bit value of an IPv4 address, or `nil` for IPv6.
    @inlinable
    public var ipv4: UInt32? { isIPv4 ? UInt32(truncatingIfNeeded: low) : nil }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (with `::` and an embedded IPv4 tail).
    public init?(_ text: some StringProtocol) {
        var copy = String(text)
        guard let parsed = copy.withUTF8({ IPAddress(utf8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = parsed
    }

    /// Parses an address from ASCII bytes; `nil` unless the whole buffer is one address.
    public init?(utf8 bytes: UnsafeRawBufferPointer) {
        if let v4 = IPAddress.parseIPv4(bytes) {
            self.init(ipv4: v4)
            return
        }
        guard let (high, low) = IPAddress.parseIPv6(bytes) else { return nil }
        self.init(high: high, low: low)
    }

    /// Parses `a.b.c.d` (no leading `+`, each part 0–255, at most three digits).
    @inlinable
    public static func parseIPv4(_ bytes: UnsafeRawBufferPointer) -> UInt32? {
        let n = bytes.count
        guard n >= 7, n <= 15 else { return nil }
        var value: UInt32 = 0
        var part: UInt32 = 0
        var digits = 0
        var dots = 0
        for i in 0..<n {
            let c = bytes[i]
            if c >= 0x30 && c <= 0x39 {
                part = part * 10 + UInt32(c - 0x30)
                digits += 1
                if digits > 3 || part > 255 { return nil }
            } else if c == 0x2E {
                if digits == 0 || dots == 3 { return nil }
                value = value << 8 | part
                part = 0
                digits = 0
                dots += 1
            } else {
                return nil
            }
        }
        guard dots == 3, digits > 0 else { return nil }
        return value << 8 | part
    }

    static func parseIPv6(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64)? {
        let n = bytes.count
        guard n >= 2, n <= 45 else { return nil }
        var groups = [UInt16](repeating: 0, count: 8)
        var count = 0
        var gap = -1
        var i = 0
        if bytes[0] == 0x3A {
            guard bytes[1] == 0x3A else { return nil }
            gap = 0
            i = 2
            if i == n { return (0, 0) }
        }
        while i < n {
            // An embedded IPv4 tail?
            var j = i
            var sawDot = false
            while j < n && bytes[j] != 0x3A {
                if bytes[j] == 0x2E { sawDot = true }
                j += 1
            }
            if sawDot {
                guard j == n, count <= 6,
                      let v4 = parseIPv4(UnsafeRawBufferPointer(rebasing: bytes[i..<n])) else { return nil }
                groups[count] = UInt16(v4 >> 16)
                groups[count + 1] = UInt16(v4 & 0xffff)
                count += 2
                i = n
                break
            }
            let length = j - i
            guard length >= 1, length <= 4, count < 8 else { return nil }
            var group: UInt16 = 0
            for k in i..<j {
                let c = bytes[k]
                let digit: UInt16
                switch c {
                case 0x30...0x39: digit = UInt16(c - 0x30)
                case 0x61...0x66: digit = UInt16(c - 0x61 + 10)
                case 0x41...0x46: digit = UInt16(c - 0x41 + 10)
                default: return nil
                }
                group = group << 4 | digit
            }
            groups[count] = group
            count += 1
            i = j
            if i < n {
                // At a colon.
                i += 1
                if i < n && bytes[i] == 0x3A {
                    guard gap < 0 else { return nil }
                    gap = count
                    i += 1
                } else if i == n {
                    return nil  // trailing single colon
                }
            }
        }
        if gap >= 0 {
            guard count < 8 else { return nil }
            let tail = count - gap
            var expanded = [UInt16](repeating: 0, count: 8)
            for k in 0..<gap { expanded[k] = groups[k] }
            for k in 0..<tail { expanded[8 - tail + k] = groups[gap + k] }
            groups = expanded
        } else if count != 8 {
            return nil
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for k in 0..<4 { high = high << 16 | UInt64(groups[k]) }
        for k in 4..<8 { low = low << 16 | UInt64(groups[k]) }
        return (high, low)
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        lhs.high != rhs.high ? lhs.high < rhs.high : lhs.low < rhs.low
    }

    /// Dotted quad for IPv4; RFC 5952 text (lower case, longest zero run as `::`) for IPv6.
    public var description: String {
        if let v4 = ipv4 {
            return "\(v4 >> 24).\(v4 >> 16 & 0xff).\(v4 >> 8 & 0xff).\(v4 & 0xff)"
        }
        var groups = [UInt16]()
        for k in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: high >> UInt64(k))) }
        for k in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: low >> UInt64(k))) }
        var bestStart = -1, bestLength = 1
        var k = 0
        while k < 8 {
            if groups[k] == 0 {
                var e = k
                while e < 8 && groups[e] == 0 { e += 1 }
                if e - k > bestLength { bestStart = k; bestLength = e - k }
                k = e
            } else {
                k += 1
            }
        }
        func hex(_ range: Range<Int>) -> String {
            range.map { String(groups[$0], radix: 16) }.joined(separator: ":")
        }
        if bestStart < 0 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }

    /// Private, loopback, link-local, carrier-grade NAT or unique-local: addresses that never
    /// identify a party on the internet.
    @inlinable
    public var isPrivate: Bool {
        if let v4 = ipv4 {
            let a = v4 >> 24, b = (v4 >> 16) & 0xff
            // Most addresses are public: one test of the first octet against those that can begin
            // private space (0, 10, 100, 127, 169, 172, 192), a bit each in four words.
            let octets: UInt64 = switch a >> 6 {
            case 0: 1 << 0 | 1 << 10
            case 1: 1 << (100 - 64) | 1 << (127 - 64)
            case 2: 1 << (169 - 128) | 1 << (172 - 128)
            default: 1 << (192 - 192)
            }
            guard (octets >> UInt64(a & 63)) & 1 == 1 else { return false }
            return a == 10 || a == 127 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168)
                || (a == 169 && b == 254) || (a == 100 && b >= 64 && b <= 127) || a == 0
        }
        let top = high >> 48
        return (high == 0 && low == 1) || (top & 0xfe00) == 0xfc00 || (top & 0xffc0) == 0xfe80
    }
}

extension IPAddress {
    /// Whether the address belongs to the public internet: not private, loopback, link-local,
    /// shared (CGNAT), unspecified, multicast, reserved, benchmarking or documentation space, and —
    /// for IPv6 forms that carry an IPv4 address (NAT64, 6to4) — not carrying such an address either.
    /// What a server must check before it connects anywhere a caller names.
    public var isPubliclyRoutable: Bool {
        if let v4 = ipv4 { return Self.publicIPv4(v4) }
        if isPrivate { return false }
        let top = high >> 48
        if high == 0 && low == 0 { return false }                               // ::
        if (top & 0xff00) == 0xff00 { return false }                             // multicast ff00::/8
        if (top & 0xffc0) == 0xfec0 { return false }                             // site-local fec0::/10
        if high == 0x0064_ff9b_0000_0000 && (low >> 32) == 0 {                   // NAT64 64:ff9b::/96
            return Self.publicIPv4(UInt32(truncatingIfNeeded: low))
        }
        if top == 0x2002 { return Self.publicIPv4(UInt32(truncatingIfNeeded: high >> 16)) }  // 6to4
        if (high >> 32) == 0x2001_0db8 { return false }                          // documentation 2001:db8::/32
        if (high >> 32) == 0x2001_0000 { return false }                          // Teredo 2001::/32
        if high == 0 { return false }                                            // IPv4-compatible and other ::/64 forms
        return true
    }

    static func publicIPv4(_ v4: UInt32) -> Bool {
        let a = v4 >> 24, b = (v4 >> 16) & 0xff, c = (v4 >> 8) & 0xff
        if a == 0 || a == 10 || a == 127 || a >= 224 { return false }           // this network, private, loopback, multicast, reserved
        if a == 100 && b >= 64 && b <= 127 { return false }                      // shared address space (CGNAT)
        if a == 169 && b == 254 { return false }                                 // link-local (instance metadata)
        if a == 172 && b >= 16 && b <= 31 { return false }
        if a == 192 && b == 168 { return false }
        if a == 192 && b == 0 && (c == 0 || c == 2) { return false }             // IETF protocol assignments, documentation
        if a == 198 && (b == 18 || b == 19) { return false }                     // benchmarking
        if a == 198 && b == 51 && c == 100 { return false }                      // documentation
        if a == 203 && b == 0 && c == 113 { return false }                       // documentation
        return true
    }
}
