// A small C API over simdjson's On-Demand parser for the two JSON log kinds Vigil reads:
// CloudTrail events (inside a `{"Records":[…]}` document or one per line) and Route 53 Resolver
// query-log records (one per line).
//
// Contract:
// - Every input buffer must have VJ_PADDING readable bytes after its last byte (their content does
//   not matter). `capacity` is the number of readable bytes from `buf`, so `capacity >= len + VJ_PADDING`.
// - The parser hands each record to `on_record` as a table of byte views. Strings are unescaped;
//   "raw" fields hold the value's JSON text. A view is valid only until `on_record` returns.
//   A view whose `ptr` is NULL is absent (missing key or JSON null).
// - A record that is malformed, or whose known fields have the wrong JSON type, is handed to
//   `on_error` with its location and is not handed to `on_record`. A structural error inside a
//   `{"Records":[…]}` document does not stop the file: the remaining records are split out with a
//   string-aware bracket scanner and parsed one by one, so every well-formed record is still read.
// - Callbacks may be NULL (parse only). A non-zero return from `on_record` stops the walk.
#ifndef VIGIL_JSON_H
#define VIGIL_JSON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Readable bytes every input buffer needs after its end (simdjson's SIMDJSON_PADDING).
#define VJ_PADDING 64

/// A byte view. `ptr == NULL` means absent.
typedef struct vj_str {
    const char *ptr;
    size_t len;
} vj_str;

/// Fields read from a CloudTrail event. `_RAW` fields hold JSON text; the others are strings
/// (booleans such as readOnly are given as their JSON token, `true`/`false`).
typedef enum vj_ct_field {
    VJ_CT_EVENT_VERSION = 0,
    VJ_CT_EVENT_TIME,
    VJ_CT_EVENT_SOURCE,
    VJ_CT_EVENT_NAME,
    VJ_CT_AWS_REGION,
    VJ_CT_SOURCE_IP,
    VJ_CT_USER_AGENT,
    VJ_CT_ERROR_CODE,
    VJ_CT_ERROR_MESSAGE,
    VJ_CT_REQUEST_ID,
    VJ_CT_EVENT_ID,
    VJ_CT_EVENT_TYPE,
    VJ_CT_RECIPIENT_ACCOUNT_ID,
    VJ_CT_READ_ONLY,
    VJ_CT_MANAGEMENT_EVENT,
    VJ_CT_EVENT_CATEGORY,
    VJ_CT_VPC_ENDPOINT_ID,
    VJ_CT_SHARED_EVENT_ID,
    VJ_CT_REQUEST_PARAMETERS_RAW,
    VJ_CT_RESPONSE_ELEMENTS_RAW,
    VJ_CT_ADDITIONAL_EVENT_DATA_RAW,
    VJ_CT_RESOURCES_RAW,
    // userIdentity
    VJ_CT_UID_TYPE,
    VJ_CT_UID_PRINCIPAL_ID,
    VJ_CT_UID_ARN,
    VJ_CT_UID_ACCOUNT_ID,
    VJ_CT_UID_ACCESS_KEY_ID,
    VJ_CT_UID_USER_NAME,
    VJ_CT_UID_INVOKED_BY,
    // userIdentity.sessionContext
    VJ_CT_ISSUER_TYPE,
    VJ_CT_ISSUER_PRINCIPAL_ID,
    VJ_CT_ISSUER_ARN,
    VJ_CT_ISSUER_ACCOUNT_ID,
    VJ_CT_ISSUER_USER_NAME,
    VJ_CT_SESSION_MFA_AUTHENTICATED,
    VJ_CT_SESSION_CREATION_DATE,
    VJ_CT_SESSION_SOURCE_IDENTITY,
    VJ_CT_SESSION_EC2_ROLE_DELIVERY,
    VJ_CT_SESSION_ASSUMED_ROOT,
    VJ_CT_SCOPE_ISSUER_TYPE,
    VJ_CT_SCOPE_ISSUED_TO,
    VJ_CT_FIELD_COUNT
} vj_ct_field;

/// Fields read from a Route 53 Resolver query-log record.
typedef enum vj_dns_field {
    VJ_DNS_VERSION = 0,
    VJ_DNS_ACCOUNT_ID,
    VJ_DNS_REGION,
    VJ_DNS_VPC_ID,
    VJ_DNS_QUERY_TIMESTAMP,
    VJ_DNS_QUERY_NAME,
    VJ_DNS_QUERY_TYPE,
    VJ_DNS_QUERY_CLASS,
    VJ_DNS_RCODE,
    VJ_DNS_ANSWERS_RAW,
    VJ_DNS_SRCADDR,
    VJ_DNS_SRCPORT,
    VJ_DNS_TRANSPORT,
    VJ_DNS_SRCIDS_INSTANCE,
    VJ_DNS_SRCIDS_RESOLVER_ENDPOINT,
    VJ_DNS_FIREWALL_RULE_ACTION,
    VJ_DNS_FIREWALL_RULE_GROUP_ID,
    VJ_DNS_FIREWALL_DOMAIN_LIST_ID,
    VJ_DNS_FIELD_COUNT
} vj_dns_field;

/// Where a record sits in its file.
typedef struct vj_location {
    /// 0-based ordinal of the record in the file (its index in `Records`, or its line's ordinal
    /// among non-blank lines).
    uint64_t record;
    /// 1-based line number for line-oriented files; 0 inside a `{"Records":[…]}` document.
    uint64_t line;
    /// Byte offset of the record's first byte in the input.
    uint64_t offset;
} vj_location;

/// One parsed record: `fields[i]` is the view for field `i` of the record's kind.
/// `fields` has VJ_CT_FIELD_COUNT or VJ_DNS_FIELD_COUNT entries.
typedef struct vj_record {
    const vj_str *fields;
    vj_location location;
} vj_record;

typedef int (*vj_record_callback)(void *context, const vj_record *record);
typedef void (*vj_error_callback)(void *context, vj_location location, const char *message);

typedef struct vj_parser vj_parser;

vj_parser *vj_parser_create(void);
void vj_parser_destroy(vj_parser *parser);

/// Parses a `{"Records":[…]}` CloudTrail document. Returns the number of records handed to
/// `on_record`. A file-level problem (not an object, no `Records` array) goes to `on_error` with
/// record index UINT64_MAX.
uint64_t vj_cloudtrail_document(vj_parser *parser, const char *buf, size_t len, size_t capacity,
                                vj_record_callback on_record, vj_error_callback on_error,
                                void *context);

/// Parses CloudTrail events written one JSON object per line.
uint64_t vj_cloudtrail_lines(vj_parser *parser, const char *buf, size_t len, size_t capacity,
                             vj_record_callback on_record, vj_error_callback on_error,
                             void *context);

/// Parses Route 53 Resolver query-log records, one JSON object per line.
uint64_t vj_resolver_lines(vj_parser *parser, const char *buf, size_t len, size_t capacity,
                           vj_record_callback on_record, vj_error_callback on_error,
                           void *context);

/// Returns the end (one past the last byte) of the JSON value starting at `start` — an object,
/// array, string or scalar — using a string-aware bracket scanner, or NULL if it does not end
/// before `end`.
const char *vj_value_end(const char *start, const char *end);

/// The SIMD implementation simdjson chose at run time ("haswell", "icelake", "fallback", …).
const char *vj_implementation_name(void);

#ifdef __cplusplus
}
#endif

#endif
