// A small C API over Debian's PCRE2 (8-bit code units), the regular expressions Sigma's `re`
// modifier is written for.
//
// Contract: a compiled expression is immutable and may be matched from several threads at once
// (each thread matches with match data of its own, made on its first match). Matching is
// bounded: a match that would take more than `match_limit` backtracking steps, or more memory
// than the JIT stack holds, ends without a match and is reported as such (`VR_LIMIT`) — so a
// crafted subject cannot make a careless expression run for minutes.
#ifndef VIGIL_REGEX_H
#define VIGIL_REGEX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vr_regex vr_regex;

enum {
    VR_CASELESS = 1,   // `i`: letters match either case
    VR_MULTILINE = 2,  // `m`: `^` and `$` match at line ends too
    VR_DOTALL = 4,     // `s`: `.` matches a newline too
};

enum {
    VR_NO_MATCH = 0,
    VR_MATCH = 1,
    VR_LIMIT = -1,     // gave up at a limit: treated as no match
};

/// Compiles `pattern` (UTF-8, `length` bytes) with `flags`. Returns NULL on a syntax error, with
/// the reason in `error` and the byte offset of the error in `*error_offset`.
vr_regex *vr_compile(const char *pattern, size_t length, uint32_t flags, uint32_t match_limit,
                     char *error, size_t error_size, size_t *error_offset);

/// Searches `subject` (`length` bytes, any bytes: invalid UTF-8 never matches a character but
/// does not fail the search) for a match anywhere.
int vr_search(const vr_regex *regex, const uint8_t *subject, size_t length);

/// How many searches of `regex` ended at a limit (`VR_LIMIT`) so far, from every thread.
uint64_t vr_searches_given_up(const vr_regex *regex);

void vr_free(vr_regex *regex);

#ifdef __cplusplus
}
#endif

#endif
