// A small C API over Debian's libloc (IPFire location database: ASN, AS name, country) and
// libmaxminddb (MaxMind DB files: GeoLite2 / DB-IP city, country and ASN databases).
//
// Contract: handles are opaque; a lookup fills `out` with what the database knows and returns 1,
// or returns 0 when the address is not in the database (or not an address). Strings in `out`
// are copied, NUL-terminated and truncated to their buffers. Handles are not thread-safe for
// concurrent lookups unless the library says so (both are read-only after opening).
#ifndef VIGIL_GEO_H
#define VIGIL_GEO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vg_location {
    char country_code[4];
    char country_name[64];
    char city[64];
    double latitude;
    double longitude;
    int has_coordinates;
    uint32_t asn;
    char as_name[128];
} vg_location;

typedef struct vg_libloc vg_libloc;
typedef struct vg_mmdb vg_mmdb;

/// Opens a libloc database file; NULL on failure (with a reason in `error`).
vg_libloc *vg_libloc_open(const char *path, char *error, size_t error_size);
int vg_libloc_lookup(vg_libloc *db, const char *address, vg_location *out);

/// One network of a libloc database: its first address (16 bytes, IPv4 as IPv4-mapped IPv6), its
/// prefix length over 128 bits, its country code (two letters, or zeros) and its ASN (0: none).
typedef struct vg_network {
    uint8_t first[16];
    uint8_t prefix;
    char country[2];
    uint32_t asn;
} vg_network;

/// Every network of the database, as its tree holds them (nested networks too: the most specific
/// one that holds an address is the answer for it). Returns the count and sets `*out` to an array
/// to release with `free`; 0 and NULL when the database cannot be enumerated.
size_t vg_libloc_networks(vg_libloc *db, vg_network **out);

/// The name of autonomous system `asn` into `name` (empty when unknown).
void vg_libloc_as_name(vg_libloc *db, uint32_t asn, char *name, size_t size);
void vg_libloc_close(vg_libloc *db);

/// Opens a MaxMind DB file; NULL on failure (with a reason in `error`).
vg_mmdb *vg_mmdb_open(const char *path, char *error, size_t error_size);
int vg_mmdb_lookup(vg_mmdb *db, const char *address, vg_location *out);
/// The database type (`GeoLite2-City`, `GeoLite2-ASN`, `DBIP-City-Lite`, …).
const char *vg_mmdb_type(vg_mmdb *db);
void vg_mmdb_close(vg_mmdb *db);

#ifdef __cplusplus
}
#endif
#endif
