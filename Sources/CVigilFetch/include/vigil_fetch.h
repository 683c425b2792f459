#ifndef VIGIL_FETCH_H
#define VIGIL_FETCH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// What `vf_fetch` brought back. Free with `vf_result_free`.
typedef struct {
    /// The body (malloc'd), `count` bytes.
    unsigned char *data;
    size_t count;
    /// The HTTP status, or 0 when no response arrived.
    long status;
    /// Why the transfer failed, when it did (NUL-terminated).
    char error[256];
} vf_result;

enum {
    VF_OK = 0,
    /// The body is larger than `max_bytes` (the transfer was stopped there).
    VF_TOO_LARGE = 1,
    /// The transfer failed (connection, TLS, timeout): see `error`.
    VF_FAILED = 2,
    /// The server answered with a status outside 200-299.
    VF_HTTP_STATUS = 3,
};

/// Fetches an http(s) URL with libcurl, connecting only to `address` for `host`:`port` (the
/// address the caller resolved and checked, so a second DNS answer cannot redirect the connection),
/// following no redirects, reading at most `max_bytes` and taking at most `timeout_ms` in all.
/// TLS certificates are verified against `host`.
int vf_fetch(const char *url, const char *host, int port, const char *address, size_t max_bytes, long timeout_ms, vf_result *out);

void vf_result_free(vf_result *result);

#ifdef __cplusplus
}
#endif

#endif
