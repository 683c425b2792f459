import Testing
import VigilModel

@Suite struct IPAddressTests {
    @Test(arguments: ["0.0.0.0", "10.0.1.50", "255.255.255.255", "203.0.113.9"])
    func ipv4RoundTrips(text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.isIPv4)
        #expect(address.description == text)
    }

    @Test(arguments: [
        ("2001:db8:1234:a100:8d6e:3477:df66:f105", "2001:db8:1234:a100:8d6e:3477:df66:f105"),
        ("2001:0DB8::0001", "2001:db8::1"),
        ("::", "::"),
        ("::1", "::1"),
        ("fe80::1:2", "fe80::1:2"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
    ])
    func ipv6Canonicalises(text: String, canonical: String) throws {
        let address = try #require(IPAddress(text))
        #expect(!address.isIPv4)
        #expect(address.description == canonical)
        #expect(IPAddress(canonical) == address)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01234.1.1.1", "1..2.3", "::1::", "1:2:3:4:5:6:7:8:9",
                      "12345::", "g::1", "1.2.3.4 ", "-", ":1", "1:"])
    func rejectsMalformed(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func mappedIPv4EqualsIPv4() {
        #expect(IPAddress("::ffff:10.0.0.1") == IPAddress("10.0.0.1"))
    }

    @Test func privateRanges() throws {
        for text in ["10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "127.0.0.1", "169.254.169.254", "100.64.0.1", "fd00::1", "fe80::1", "::1"] {
            #expect(try #require(IPAddress(text)).isPrivate, "\(text)")
        }
        for text in ["8.8.8.8", "172.32.0.1", "203.0.113.5", "2001:db8::1"] {
            #expect(try !#require(IPAddress(text)).isPrivate, "\(text)")
        }
    }

    @Test func privateByTheRangesForEveryFirstTwoOctets() {
        // The ranges as written: 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.168/16.
        for a in UInt32(0)...255 {
            for b in UInt32(0)...255 {
                let expected = a == 0 || a == 10 || (a == 100 && b >= 64 && b <= 127) || a == 127 || (a == 169 && b == 254)
                    || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168)
                let address = IPAddress(ipv4: a << 24 | b << 16 | 0x0102)
                if address.isPrivate != expected { Issue.record("\(address): \(address.isPrivate)") }
            }
        }
    }
}
