// See vigil_geo.h.
#include "vigil_geo.h"

#include <libloc/as.h>
#include <libloc/database.h>
#include <libloc/libloc.h>
#include <libloc/network.h>
#include <maxminddb.h>

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_string(char *to, size_t size, const char *from, size_t length) {
    if (!from || size == 0) return;
    if (length >= size) length = size - 1;
    memcpy(to, from, length);
    to[length] = 0;
}

// MARK: - libloc

struct vg_libloc {
    struct loc_ctx *ctx;
    struct loc_database *db;
};

vg_libloc *vg_libloc_open(const char *path, char *error, size_t error_size) {
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(error, error_size, "%s", strerror(errno));
        return NULL;
    }
    vg_libloc *handle = calloc(1, sizeof(vg_libloc));
    if (!handle || loc_new(&handle->ctx) != 0) {
        snprintf(error, error_size, "cannot create a libloc context");
        fclose(f);
        free(handle);
        return NULL;
    }
    int r = loc_database_new(handle->ctx, &handle->db, f);
    fclose(f);
    if (r != 0 || !handle->db) {
        snprintf(error, error_size, "not a libloc location database");
        loc_unref(handle->ctx);
        free(handle);
        return NULL;
    }
    return handle;
}

int vg_libloc_lookup(vg_libloc *handle, const char *address, vg_location *out) {
    struct loc_network *network = NULL;
    if (loc_database_lookup_from_string(handle->db, address, &network) != 0 || !network) return 0;
    memset(out, 0, sizeof(*out));
    const char *country = loc_network_get_country_code(network);
    if (country) copy_string(out->country_code, sizeof(out->country_code), country, strlen(country));
    out->asn = loc_network_get_asn(network);
    if (out->asn) {
        struct loc_as *as = NULL;
        if (loc_database_get_as(handle->db, &as, out->asn) == 0 && as) {
            const char *name = loc_as_get_name(as);
            if (name) copy_string(out->as_name, sizeof(out->as_name), name, strlen(name));
            loc_as_unref(as);
        }
    }
    loc_network_unref(network);
    return 1;
}

size_t vg_libloc_networks(vg_libloc *handle, vg_network **out) {
    *out = NULL;
    struct loc_database_enumerator *enumerator = NULL;
    if (loc_database_enumerator_new(&enumerator, handle->db, LOC_DB_ENUMERATE_NETWORKS, 0) != 0 || !enumerator) return 0;
    size_t count = 0, capacity = 1 << 20;
    vg_network *networks = malloc(capacity * sizeof(vg_network));
    struct loc_network *network = NULL;
    while (networks && loc_database_enumerator_next_network(enumerator, &network) == 0 && network) {
        if (count == capacity) {
            capacity *= 2;
            vg_network *grown = realloc(networks, capacity * sizeof(vg_network));
            if (!grown) {
                free(networks);
                networks = NULL;
                loc_network_unref(network);
                break;
            }
            networks = grown;
        }
        vg_network *n = &networks[count++];
        memcpy(n->first, loc_network_get_first_address(network), 16);
        // libloc counts an IPv4 network's prefix in IPv4 bits.
        unsigned length = loc_network_prefix(network);
        if (loc_network_address_family(network) == AF_INET) length += 96;
        n->prefix = (uint8_t)(length > 128 ? 128 : length);
        const char *country = loc_network_get_country_code(network);
        n->country[0] = country && country[0] ? country[0] : 0;
        n->country[1] = country && country[0] ? country[1] : 0;
        n->asn = loc_network_get_asn(network);
        loc_network_unref(network);
    }
    loc_database_enumerator_unref(enumerator);
    if (!networks) return 0;
    *out = networks;
    return count;
}

void vg_libloc_as_name(vg_libloc *handle, uint32_t asn, char *name, size_t size) {
    if (size == 0) return;
    name[0] = 0;
    struct loc_as *as = NULL;
    if (loc_database_get_as(handle->db, &as, asn) == 0 && as) {
        const char *text = loc_as_get_name(as);
        if (text) copy_string(name, size, text, strlen(text));
        loc_as_unref(as);
    }
}

void vg_libloc_close(vg_libloc *handle) {
    if (!handle) return;
    loc_database_unref(handle->db);
    loc_unref(handle->ctx);
    free(handle);
}

// MARK: - MaxMind DB

struct vg_mmdb {
    MMDB_s mmdb;
};

vg_mmdb *vg_mmdb_open(const char *path, char *error, size_t error_size) {
    vg_mmdb *handle = calloc(1, sizeof(vg_mmdb));
    if (!handle) return NULL;
    int status = MMDB_open(path, MMDB_MODE_MMAP, &handle->mmdb);
    if (status != MMDB_SUCCESS) {
        snprintf(error, error_size, "%s", status == MMDB_IO_ERROR ? strerror(errno) : MMDB_strerror(status));
        free(handle);
        return NULL;
    }
    return handle;
}

static int get_string(MMDB_entry_s *entry, char *to, size_t size, const char *const *path) {
    MMDB_entry_data_s data;
    if (MMDB_aget_value(entry, &data, path) != MMDB_SUCCESS || !data.has_data || data.type != MMDB_DATA_TYPE_UTF8_STRING) return 0;
    copy_string(to, size, data.utf8_string, data.data_size);
    return 1;
}

static int get_double(MMDB_entry_s *entry, double *to, const char *const *path) {
    MMDB_entry_data_s data;
    if (MMDB_aget_value(entry, &data, path) != MMDB_SUCCESS || !data.has_data) return 0;
    if (data.type == MMDB_DATA_TYPE_DOUBLE) { *to = data.double_value; return 1; }
    if (data.type == MMDB_DATA_TYPE_FLOAT) { *to = data.float_value; return 1; }
    return 0;
}

int vg_mmdb_lookup(vg_mmdb *handle, const char *address, vg_location *out) {
    int gai_error = 0, mmdb_error = 0;
    MMDB_lookup_result_s result = MMDB_lookup_string(&handle->mmdb, address, &gai_error, &mmdb_error);
    if (gai_error != 0 || mmdb_error != MMDB_SUCCESS || !result.found_entry) return 0;
    memset(out, 0, sizeof(*out));
    MMDB_entry_s *entry = &result.entry;
    static const char *const country_code[] = {"country", "iso_code", NULL};
    static const char *const registered_country_code[] = {"registered_country", "iso_code", NULL};
    static const char *const country_name[] = {"country", "names", "en", NULL};
    static const char *const city_name[] = {"city", "names", "en", NULL};
    static const char *const latitude[] = {"location", "latitude", NULL};
    static const char *const longitude[] = {"location", "longitude", NULL};
    static const char *const asn_org[] = {"autonomous_system_organization", NULL};
    static const char *const asn_number[] = {"autonomous_system_number", NULL};
    if (!get_string(entry, out->country_code, sizeof(out->country_code), country_code))
        get_string(entry, out->country_code, sizeof(out->country_code), registered_country_code);
    get_string(entry, out->country_name, sizeof(out->country_name), country_name);
    get_string(entry, out->city, sizeof(out->city), city_name);
    out->has_coordinates = get_double(entry, &out->latitude, latitude) && get_double(entry, &out->longitude, longitude);
    get_string(entry, out->as_name, sizeof(out->as_name), asn_org);
    MMDB_entry_data_s data;
    if (MMDB_aget_value(entry, &data, asn_number) == MMDB_SUCCESS && data.has_data && data.type == MMDB_DATA_TYPE_UINT32)
        out->asn = data.uint32;
    return 1;
}

const char *vg_mmdb_type(vg_mmdb *handle) { return handle->mmdb.metadata.database_type; }

void vg_mmdb_close(vg_mmdb *handle) {
    if (!handle) return;
    MMDB_close(&handle->mmdb);
    free(handle);
}
