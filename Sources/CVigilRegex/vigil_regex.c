// See vigil_regex.h.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "vigil_regex.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

struct vr_regex {
    pcre2_code *code;
    pcre2_match_context *context;
    /// Searches that ended at a limit (counted from every thread).
    _Atomic uint64_t given_up;
};

// One match data a thread, for every expression, freed when the thread ends: a search needs only
// to know whether it matched, so one pair of offsets is enough (PCRE2 answers 0, "matched", when
// it holds fewer than the groups).
static pthread_key_t match_data_key;
static pthread_once_t match_data_once = PTHREAD_ONCE_INIT;

static void free_match_data(void *data) { pcre2_match_data_free(data); }
static void make_match_data_key(void) { (void)pthread_key_create(&match_data_key, free_match_data); }

static pcre2_match_data *thread_match_data(void) {
    (void)pthread_once(&match_data_once, make_match_data_key);
    pcre2_match_data *data = pthread_getspecific(match_data_key);
    if (!data) {
        data = pcre2_match_data_create(1, NULL);
        if (data && pthread_setspecific(match_data_key, data) != 0) {
            pcre2_match_data_free(data);
            data = NULL;
        }
    }
    return data;
}

vr_regex *vr_compile(const char *pattern, size_t length, uint32_t flags, uint32_t match_limit,
                     char *error, size_t error_size, size_t *error_offset) {
    uint32_t options = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
    if (flags & VR_CASELESS) options |= PCRE2_CASELESS;
    if (flags & VR_MULTILINE) options |= PCRE2_MULTILINE;
    if (flags & VR_DOTALL) options |= PCRE2_DOTALL;
    int code_error = 0;
    PCRE2_SIZE offset = 0;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, length, options, &code_error, &offset, NULL);
    if (!code) {
        if (error && error_size) pcre2_get_error_message(code_error, (PCRE2_UCHAR *)error, error_size);
        if (error_offset) *error_offset = offset;
        return NULL;
    }
    // JIT where the machine has it; the interpreter otherwise (same answers, slower).
    (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    pcre2_match_context *context = pcre2_match_context_create(NULL);
    vr_regex *regex = malloc(sizeof *regex);
    if (!context || !regex) {
        pcre2_match_context_free(context);
        pcre2_code_free(code);
        free(regex);
        if (error && error_size) snprintf(error, error_size, "out of memory");
        return NULL;
    }
    if (match_limit) pcre2_set_match_limit(context, match_limit);
    regex->code = code;
    regex->context = context;
    atomic_init(&regex->given_up, 0);
    return regex;
}

/// Counts a search that ended at a limit. The counter is the one part of an expression that
/// changes after it is made; it is atomic, so the expression stays shareable between threads.
static int gave_up(const vr_regex *regex) {
    atomic_fetch_add_explicit(&((vr_regex *)regex)->given_up, 1, memory_order_relaxed);
    return VR_LIMIT;
}

int vr_search(const vr_regex *regex, const uint8_t *subject, size_t length) {
    pcre2_match_data *data = thread_match_data();
    if (!data) return gave_up(regex);
    // An empty subject may come with no address at all.
    static const uint8_t empty = 0;
    int rc = pcre2_match(regex->code, subject ? subject : &empty, length, 0, 0, data, regex->context);
    if (rc >= 0) return VR_MATCH;
    if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL) return VR_NO_MATCH;
    return gave_up(regex);
}

uint64_t vr_searches_given_up(const vr_regex *regex) {
    return atomic_load_explicit(&((vr_regex *)regex)->given_up, memory_order_relaxed);
}

void vr_free(vr_regex *regex) {
    if (!regex) return;
    pcre2_match_context_free(regex->context);
    pcre2_code_free(regex->code);
    free(regex);
}
