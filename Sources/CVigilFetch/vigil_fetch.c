#include "vigil_fetch.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    vf_result *out;
    size_t capacity;
    size_t limit;
    int exceeded;
} sink;

static size_t write_body(char *data, size_t size, size_t count, void *context) {
    sink *s = (sink *)context;
    size_t n = size * count;
    if (s->out->count + n > s->limit) {
        s->exceeded = 1;
        return 0;  // stops the transfer
    }
    if (s->out->count + n > s->capacity) {
        size_t capacity = s->capacity ? s->capacity : 16384;
        while (capacity < s->out->count + n) capacity *= 2;
        unsigned char *grown = realloc(s->out->data, capacity);
        if (!grown) return 0;
        s->out->data = grown;
        s->capacity = capacity;
    }
    memcpy(s->out->data + s->out->count, data, n);
    s->out->count += n;
    return n;
}

static pthread_once_t initialised = PTHREAD_ONCE_INIT;
static void initialise(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

int vf_fetch(const char *url, const char *host, int port, const char *address, size_t max_bytes, long timeout_ms, vf_result *out) {
    pthread_once(&initialised, initialise);
    memset(out, 0, sizeof(*out));
    CURL *curl = curl_easy_init();
    if (!curl) {
        snprintf(out->error, sizeof(out->error), "cannot start a transfer");
        return VF_FAILED;
    }
    char pin[512];
    snprintf(pin, sizeof(pin), "%s:%d:%s%s%s", host, port, strchr(address, ':') ? "[" : "", address, strchr(address, ':') ? "]" : "");
    struct curl_slist *resolve = curl_slist_append(NULL, pin);
    sink s = {out, 0, max_bytes, 0};
    char message[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 10000 ? timeout_ms : 10000L);
    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max_bytes);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, message);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "vigil");
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    CURLcode code = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
    curl_slist_free_all(resolve);
    curl_easy_cleanup(curl);
    if (s.exceeded || code == CURLE_FILESIZE_EXCEEDED) {
        snprintf(out->error, sizeof(out->error), "the list is larger than %zu bytes", max_bytes);
        return VF_TOO_LARGE;
    }
    if (code != CURLE_OK) {
        snprintf(out->error, sizeof(out->error), "%s", message[0] ? message : curl_easy_strerror(code));
        return VF_FAILED;
    }
    if (out->status < 200 || out->status > 299) {
        snprintf(out->error, sizeof(out->error), "HTTP %ld", out->status);
        return VF_HTTP_STATUS;
    }
    return VF_OK;
}

void vf_result_free(vf_result *result) {
    free(result->data);
    result->data = NULL;
    result->count = 0;
}
