/// Indicators Vigil ships as facts from public sources: the addresses of public DNS resolvers,
/// DNS-over-HTTPS and DNS-over-TLS endpoints as their operators publish them, and the domains of
/// well-known crypto-currency mining pools, and the Tor network's directory authorities (the fixed
/// addresses every Tor client contacts first, compiled into Tor itself). Large, fast-changing feeds (Tor, abuse.ch, …) are not
/// here: `vigil intel update` fetches them into the feeds folder.
public enum BuiltInLists {
    /// Each built-in list as a source to load.
    public static var sources: [ThreatListSource] {
        [
            ThreatListSource(name: "Vigil public DNS resolvers", category: .publicResolver, format: .txt, text: publicResolvers),
            ThreatListSource(name: "Vigil DNS-over-HTTPS endpoints", category: .doh, format: .txt, text: dohEndpoints),
            ThreatListSource(name: "Vigil DNS-over-TLS endpoints", category: .dot, format: .txt, text: dotEndpoints),
            ThreatListSource(name: "Vigil mining pools", category: .mining, format: .txt, text: miningPools),
            ThreatListSource(name: "Vigil Tor directory authorities", category: .torRelay, format: .txt, text: torDirectoryAuthorities),
        ]
    }

    /// Anycast addresses of public recursive resolvers.
    static let publicResolvers = """
    # Google Public DNS
    8.8.8.8
    8.8.4.4
    2001:4860:4860::8888
    2001:4860:4860::8844
    # Cloudflare
    1.1.1.1
    1.0.0.1
    1.1.1.2
    1.0.0.2
    1.1.1.3
    1.0.0.3
    2606:4700:4700::1111
    2606:4700:4700::1001
    # Quad9
    9.9.9.9
    149.112.112.112
    9.9.9.10
    149.112.112.10
    9.9.9.11
    149.112.112.11
    2620:fe::fe
    2620:fe::9
    # Cisco OpenDNS
    208.67.222.222
    208.67.220.220
    208.67.222.123
    208.67.220.123
    2620:119:35::35
    2620:119:53::53
    # AdGuard DNS
    94.140.14.14
    94.140.15.15
    94.140.14.15
    94.140.15.16
    2a10:50c0::ad1:ff
    2a10:50c0::ad2:ff
    # CleanBrowsing
    185.228.168.9
    185.228.169.9
    185.228.168.168
    185.228.169.168
    # Comodo Secure DNS
    8.26.56.26
    8.20.247.20
    # Lumen (Level 3)
    4.2.2.1
    4.2.2.2
    4.2.2.3
    4.2.2.4
    # Yandex DNS
    77.88.8.8
    77.88.8.1
    # Control D
    76.76.2.0
    76.76.10.0
    # NextDNS
    45.90.28.0
    45.90.30.0
    # DNS.Watch
    84.200.69.80
    84.200.70.40
    # Alibaba, DNSPod (Tencent), 114DNS
    223.5.5.5
    223.6.6.6
    119.29.29.29
    114.114.114.114
    114.114.115.115
    # Mullvad
    194.242.2.2
    # dns0.eu
    193.110.81.0
    185.253.5.0
    """

    /// Host names of DNS-over-HTTPS services.
    static let dohEndpoints = """
    dns.google
    cloudflare-dns.com
    mozilla.cloudflare-dns.com
    security.cloudflare-dns.com
    family.cloudflare-dns.com
    one.one.one.one
    1dot1dot1dot1.cloudflare-dns.com
    dns.quad9.net
    dns9.quad9.net
    dns10.quad9.net
    dns11.quad9.net
    doh.opendns.com
    doh.familyshield.opendns.com
    dns.adguard-dns.com
    unfiltered.adguard-dns.com
    family.adguard-dns.com
    doh.cleanbrowsing.org
    dns.nextdns.io
    freedns.controld.com
    doh.mullvad.net
    dns.mullvad.net
    dns.alidns.com
    doh.pub
    doh.360.cn
    dns.twnic.tw
    doh.dns.sb
    dns0.eu
    doh.libredns.gr
    dns.switch.ch
    """

    /// Host names of DNS-over-TLS services (port 853).
    static let dotEndpoints = """
    dns.google
    one.one.one.one
    1dot1dot1dot1.cloudflare-dns.com
    dns.quad9.net
    dns.adguard-dns.com
    dns.nextdns.io
    dot.mullvad.net
    dns.alidns.com
    dot.pub
    dns.sb
    dns0.eu
    """

    /// Domains of well-known mining pools and browser-mining services (subdomains match too).
    static let miningPools = """
    nanopool.org
    supportxmr.com
    minexmr.com
    moneroocean.stream
    xmrpool.eu
    hashvault.pro
    c3pool.com
    herominers.com
    2miners.com
    ethermine.org
    f2pool.com
    viabtc.com
    antpool.com
    poolin.com
    slushpool.com
    braiins.com
    nicehash.com
    unmineable.com
    kryptex.network
    flexpool.io
    hiveon.net
    suprnova.cc
    miningpoolhub.com
    zpool.ca
    prohashing.com
    minergate.com
    dwarfpool.com
    coinhive.com
    crypto-pool.fr
    monerohash.com
    p2pool.io
    woolypooly.com
    sparkpool.com
    emcd.io
    """

    /// The Tor directory authorities and the bridge authority, as Tor's own source lists them
    /// (`src/app/config/auth_dirs.inc`), with the addresses earlier releases still carry. A Tor
    /// client's first connections go to these (ORPort 443, 80, 9001 or 9201; DirPort 80, 443, 9030
    /// or 9231), before any relay list is known — so no feed is needed to see Tor starting.
    static let torDirectoryAuthorities = """
    # moria1
    128.31.0.39
    128.31.0.34
    # tor26
    217.196.147.77
    86.59.21.38
    2a02:16a8:662:2203::1
    2001:858:2:2:aabb:0:563b:1526
    # dizum
    45.66.35.11
    194.109.206.212
    2a09:61c0::1337
    # gabelmoo
    131.188.40.189
    2001:638:a000:4140::ffff:189
    # dannenberg
    193.23.244.244
    2001:678:558:1000::244
    # maatuska
    171.25.193.9
    2001:67c:289c::9
    # longclaw
    199.58.81.140
    # bastet
    204.13.164.118
    2620:13:4000:6000::1000:118
    # faravahar
    216.218.219.41
    154.35.175.225
    2001:470:164:2::2
    # Serge (bridge authority)
    66.111.2.131
    2001:470:1f07:1d8::2
    """
}
