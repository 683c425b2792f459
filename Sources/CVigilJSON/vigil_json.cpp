// simdjson On-Demand walker for CloudTrail and Route 53 Resolver records. See vigil_json.h.
#include "vigil_json.h"

#include <simdjson.h>

#include <cstring>
#include <string>
#include <vector>

using namespace simdjson;

struct vj_parser {
    ondemand::parser parser;
    /// Padded copy of one record for the per-record (recovery) path.
    std::vector<char> scratch;
    /// Message storage for errors built at run time.
    std::string message;
};

namespace {

/// How reading one record ended.
enum class Outcome {
    ok,
    /// The record is bad (wrong type, missing structure) but the iterator is intact.
    bad_record,
    /// The iterator is broken; nothing after this point can be trusted in this document.
    broken,
};

struct Walk {
    vj_parser *parser;
    vj_record_callback on_record;
    vj_error_callback on_error;
    void *context;
    uint64_t delivered = 0;
    bool stopped = false;
    const char *error = nullptr;
};

// MARK: - Keys

/// Length of a raw (still escaped) object key that starts after its opening quote. Keys that
/// contain escapes never match a field Vigil reads, so they report SIZE_MAX.
inline size_t key_length(const char *key) {
    const char *p = key;
    while (*p != '"') {
        if (*p == '\\') return SIZE_MAX;
        ++p;
    }
    return size_t(p - key);
}

inline bool key_is(const char *key, size_t n, const char *literal, size_t literal_len) {
    return n == literal_len && std::memcmp(key, literal, n) == 0;
}

#define KEY(lit) key_is(k, n, lit, sizeof(lit) - 1)

// MARK: - Values

/// Reads a string value (or JSON null, which stays absent).
inline Outcome read_string(ondemand::value value, vj_str &out, Walk &walk, const char *what) {
    std::string_view s;
    auto err = value.get_string().get(s);
    if (!err) {
        out.ptr = s.data();
        out.len = s.size();
        return Outcome::ok;
    }
    if (err == INCORRECT_TYPE) {
        // `type()` peeks at the token and is valid at any depth (`is_null()` is not valid on a
        // document's root value, which an isolated record is).
        ondemand::json_type type;
        if (!value.type().get(type) && type == ondemand::json_type::null) return Outcome::ok;
        walk.error = what;
        return Outcome::bad_record;
    }
    walk.error = error_message(err);
    return Outcome::broken;
}

/// Reads a scalar token as text: strings unescaped, booleans and numbers as their JSON token.
inline Outcome read_scalar_text(ondemand::value value, vj_str &out, Walk &walk, const char *what) {
    ondemand::json_type type;
    if (auto err = value.type().get(type)) {
        walk.error = error_message(err);
        return Outcome::broken;
    }
    switch (type) {
    case ondemand::json_type::string:
        return read_string(value, out, walk, what);
    case ondemand::json_type::boolean:
    case ondemand::json_type::number: {
        std::string_view token = value.raw_json_token();
        // raw_json_token keeps trailing whitespace; trim it.
        size_t n = token.size();
        while (n > 0 && (token[n - 1] == ' ' || token[n - 1] == '\n' || token[n - 1] == '\r' ||
                         token[n - 1] == '\t'))
            --n;
        out.ptr = token.data();
        out.len = n;
        return Outcome::ok;
    }
    case ondemand::json_type::null:
        return Outcome::ok;
    default:
        walk.error = what;
        return Outcome::bad_record;
    }
}

/// Reads any value as its JSON text (objects and arrays whole).
inline Outcome read_raw(ondemand::value value, vj_str &out, Walk &walk) {
    ondemand::json_type type;
    if (auto err = value.type().get(type)) {
        walk.error = error_message(err);
        return Outcome::broken;
    }
    std::string_view text;
    switch (type) {
    case ondemand::json_type::object: {
        ondemand::object object;
        if (auto err = value.get_object().get(object)) { walk.error = error_message(err); return Outcome::broken; }
        if (auto err = object.raw_json().get(text)) { walk.error = error_message(err); return Outcome::broken; }
        break;
    }
    case ondemand::json_type::array: {
        ondemand::array array;
        if (auto err = value.get_array().get(array)) { walk.error = error_message(err); return Outcome::broken; }
        if (auto err = array.raw_json().get(text)) { walk.error = error_message(err); return Outcome::broken; }
        break;
    }
    case ondemand::json_type::null:
        return Outcome::ok;
    default:
        text = value.raw_json_token();
        while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' || text.back() == '\t'))
            text.remove_suffix(1);
        break;
    }
    out.ptr = text.data();
    out.len = text.size();
    return Outcome::ok;
}

/// Iterates an object's fields, calling `visit(key, length, value)` for each. Stops at the first
/// outcome that is not ok. A value that is not an object (or null) is a bad record.
template <typename Visit>
inline Outcome for_each_field(ondemand::value value, Walk &walk, const char *what, Visit visit) {
    ondemand::object object;
    auto err = value.get_object().get(object);
    if (err == INCORRECT_TYPE) {
        // `type()` peeks at the token and is valid at any depth (`is_null()` is not valid on a
        // document's root value, which an isolated record is).
        ondemand::json_type type;
        if (!value.type().get(type) && type == ondemand::json_type::null) return Outcome::ok;
        walk.error = what;
        return Outcome::bad_record;
    }
    if (err) { walk.error = error_message(err); return Outcome::broken; }
    for (auto field_result : object) {
        ondemand::field field;
        if (auto ferr = std::move(field_result).get(field)) { walk.error = error_message(ferr); return Outcome::broken; }
        const char *k = field.key().raw();
        size_t n = key_length(k);
        Outcome outcome = visit(k, n, field.value());
        if (outcome != Outcome::ok) return outcome;
    }
    return Outcome::ok;
}

/// Folds one field's outcome into the record's: a bad field marks the record bad but the walk
/// goes on (so the iterator stays in step); a broken one stops it.
struct RecordState {
    bool bad = false;
    inline Outcome fold(Outcome o) {
        if (o == Outcome::bad_record) { bad = true; return Outcome::ok; }
        return o;
    }
};

// MARK: - CloudTrail

Outcome read_session_context(ondemand::value value, vj_str *f, Walk &walk, RecordState &state) {
    return for_each_field(value, walk, "userIdentity.sessionContext is not an object",
                          [&](const char *k, size_t n, ondemand::value v) -> Outcome {
        if (KEY("sessionIssuer")) {
            return state.fold(for_each_field(v, walk, "sessionContext.sessionIssuer is not an object",
                                             [&](const char *k, size_t n, ondemand::value v) -> Outcome {
                if (KEY("type")) return state.fold(read_string(v, f[VJ_CT_ISSUER_TYPE], walk, "sessionIssuer.type is not a string"));
                if (KEY("principalId")) return state.fold(read_string(v, f[VJ_CT_ISSUER_PRINCIPAL_ID], walk, "sessionIssuer.principalId is not a string"));
                if (KEY("arn")) return state.fold(read_string(v, f[VJ_CT_ISSUER_ARN], walk, "sessionIssuer.arn is not a string"));
                if (KEY("accountId")) return state.fold(read_string(v, f[VJ_CT_ISSUER_ACCOUNT_ID], walk, "sessionIssuer.accountId is not a string"));
                if (KEY("userName")) return state.fold(read_string(v, f[VJ_CT_ISSUER_USER_NAME], walk, "sessionIssuer.userName is not a string"));
                return Outcome::ok;
            }));
        }
        if (KEY("attributes")) {
            return state.fold(for_each_field(v, walk, "sessionContext.attributes is not an object",
                                             [&](const char *k, size_t n, ondemand::value v) -> Outcome {
                if (KEY("mfaAuthenticated")) return state.fold(read_scalar_text(v, f[VJ_CT_SESSION_MFA_AUTHENTICATED], walk, "attributes.mfaAuthenticated is not a scalar"));
                if (KEY("creationDate")) return state.fold(read_string(v, f[VJ_CT_SESSION_CREATION_DATE], walk, "attributes.creationDate is not a string"));
                return Outcome::ok;
            }));
        }
        if (KEY("sourceIdentity")) return state.fold(read_string(v, f[VJ_CT_SESSION_SOURCE_IDENTITY], walk, "sessionContext.sourceIdentity is not a string"));
        if (KEY("ec2RoleDelivery")) return state.fold(read_scalar_text(v, f[VJ_CT_SESSION_EC2_ROLE_DELIVERY], walk, "sessionContext.ec2RoleDelivery is not a scalar"));
        if (KEY("assumedRoot")) return state.fold(read_scalar_text(v, f[VJ_CT_SESSION_ASSUMED_ROOT], walk, "sessionContext.assumedRoot is not a scalar"));
        return Outcome::ok;
    });
}

Outcome read_user_identity(ondemand::value value, vj_str *f, Walk &walk, RecordState &state) {
    return for_each_field(value, walk, "userIdentity is not an object",
                          [&](const char *k, size_t n, ondemand::value v) -> Outcome {
        switch (n) {
        case 3: if (KEY("arn")) return state.fold(read_string(v, f[VJ_CT_UID_ARN], walk, "userIdentity.arn is not a string")); break;
        case 4: if (KEY("type")) return state.fold(read_string(v, f[VJ_CT_UID_TYPE], walk, "userIdentity.type is not a string")); break;
        case 8: if (KEY("userName")) return state.fold(read_string(v, f[VJ_CT_UID_USER_NAME], walk, "userIdentity.userName is not a string")); break;
        case 9:
            if (KEY("accountId")) return state.fold(read_string(v, f[VJ_CT_UID_ACCOUNT_ID], walk, "userIdentity.accountId is not a string"));
            if (KEY("invokedBy")) return state.fold(read_string(v, f[VJ_CT_UID_INVOKED_BY], walk, "userIdentity.invokedBy is not a string"));
            if (KEY("inScopeOf")) {
                // Credentials AWS issued to a resource (a Lambda function, an ECS task): which.
                return state.fold(for_each_field(v, walk, "userIdentity.inScopeOf is not an object",
                                                 [&](const char *k, size_t n, ondemand::value v) -> Outcome {
                    if (KEY("issuerType")) return state.fold(read_string(v, f[VJ_CT_SCOPE_ISSUER_TYPE], walk, "inScopeOf.issuerType is not a string"));
                    if (KEY("credentialsIssuedTo")) return state.fold(read_string(v, f[VJ_CT_SCOPE_ISSUED_TO], walk, "inScopeOf.credentialsIssuedTo is not a string"));
                    return Outcome::ok;
                }));
            }
            break;
        case 11:
            if (KEY("principalId")) return state.fold(read_string(v, f[VJ_CT_UID_PRINCIPAL_ID], walk, "userIdentity.principalId is not a string"));
            if (KEY("accessKeyId")) return state.fold(read_string(v, f[VJ_CT_UID_ACCESS_KEY_ID], walk, "userIdentity.accessKeyId is not a string"));
            break;
        case 14: if (KEY("sessionContext")) return read_session_context(v, f, walk, state); break;
        default: break;
        }
        return Outcome::ok;
    });
}

/// Reads one CloudTrail event object into `f` (which must be cleared).
Outcome read_cloudtrail_event(ondemand::value value, vj_str *f, Walk &walk) {
    RecordState state;
    Outcome outcome = for_each_field(value, walk, "record is not a JSON object",
                                     [&](const char *k, size_t n, ondemand::value v) -> Outcome {
        switch (n) {
        case 7: if (KEY("eventID")) return state.fold(read_string(v, f[VJ_CT_EVENT_ID], walk, "eventID is not a string")); break;
        case 8: if (KEY("readOnly")) return state.fold(read_scalar_text(v, f[VJ_CT_READ_ONLY], walk, "readOnly is not a scalar")); break;
        case 9:
            if (KEY("eventName")) return state.fold(read_string(v, f[VJ_CT_EVENT_NAME], walk, "eventName is not a string"));
            if (KEY("eventTime")) return state.fold(read_string(v, f[VJ_CT_EVENT_TIME], walk, "eventTime is not a string"));
            if (KEY("awsRegion")) return state.fold(read_string(v, f[VJ_CT_AWS_REGION], walk, "awsRegion is not a string"));
            if (KEY("userAgent")) return state.fold(read_string(v, f[VJ_CT_USER_AGENT], walk, "userAgent is not a string"));
            if (KEY("errorCode")) return state.fold(read_string(v, f[VJ_CT_ERROR_CODE], walk, "errorCode is not a string"));
            if (KEY("requestID")) return state.fold(read_string(v, f[VJ_CT_REQUEST_ID], walk, "requestID is not a string"));
            if (KEY("eventType")) return state.fold(read_string(v, f[VJ_CT_EVENT_TYPE], walk, "eventType is not a string"));
            if (KEY("resources")) return state.fold(read_raw(v, f[VJ_CT_RESOURCES_RAW], walk));
            break;
        case 11: if (KEY("eventSource")) return state.fold(read_string(v, f[VJ_CT_EVENT_SOURCE], walk, "eventSource is not a string")); break;
        case 12:
            if (KEY("eventVersion")) return state.fold(read_string(v, f[VJ_CT_EVENT_VERSION], walk, "eventVersion is not a string"));
            if (KEY("errorMessage")) return state.fold(read_scalar_text(v, f[VJ_CT_ERROR_MESSAGE], walk, "errorMessage is not a scalar"));
            if (KEY("userIdentity")) return read_user_identity(v, f, walk, state);
            break;
        case 13:
            if (KEY("eventCategory")) return state.fold(read_string(v, f[VJ_CT_EVENT_CATEGORY], walk, "eventCategory is not a string"));
            if (KEY("vpcEndpointId")) return state.fold(read_string(v, f[VJ_CT_VPC_ENDPOINT_ID], walk, "vpcEndpointId is not a string"));
            if (KEY("sharedEventID")) return state.fold(read_string(v, f[VJ_CT_SHARED_EVENT_ID], walk, "sharedEventID is not a string"));
            break;
        case 15:
            if (KEY("sourceIPAddress")) return state.fold(read_string(v, f[VJ_CT_SOURCE_IP], walk, "sourceIPAddress is not a string"));
            if (KEY("managementEvent")) return state.fold(read_scalar_text(v, f[VJ_CT_MANAGEMENT_EVENT], walk, "managementEvent is not a scalar"));
            break;
        case 16: if (KEY("responseElements")) return state.fold(read_raw(v, f[VJ_CT_RESPONSE_ELEMENTS_RAW], walk)); break;
        case 17: if (KEY("requestParameters")) return state.fold(read_raw(v, f[VJ_CT_REQUEST_PARAMETERS_RAW], walk)); break;
        case 18: if (KEY("recipientAccountId")) return state.fold(read_string(v, f[VJ_CT_RECIPIENT_ACCOUNT_ID], walk, "recipientAccountId is not a string")); break;
        case 19: if (KEY("additionalEventData")) return state.fold(read_raw(v, f[VJ_CT_ADDITIONAL_EVENT_DATA_RAW], walk)); break;
        default: break;
        }
        return Outcome::ok;
    });
    if (outcome == Outcome::ok && state.bad) return Outcome::bad_record;
    return outcome;
}

// MARK: - Resolver query logs

Outcome read_resolver_record(ondemand::value value, vj_str *f, Walk &walk) {
    RecordState state;
    Outcome outcome = for_each_field(value, walk, "record is not a JSON object",
                                     [&](const char *k, size_t n, ondemand::value v) -> Outcome {
        switch (n) {
        case 5: if (KEY("rcode")) return state.fold(read_string(v, f[VJ_DNS_RCODE], walk, "rcode is not a string")); break;
        case 6:
            if (KEY("region")) return state.fold(read_string(v, f[VJ_DNS_REGION], walk, "region is not a string"));
            if (KEY("vpc_id")) return state.fold(read_string(v, f[VJ_DNS_VPC_ID], walk, "vpc_id is not a string"));
            if (KEY("srcids")) {
                return state.fold(for_each_field(v, walk, "srcids is not an object",
                                                 [&](const char *k, size_t n, ondemand::value v) -> Outcome {
                    if (KEY("instance")) return state.fold(read_string(v, f[VJ_DNS_SRCIDS_INSTANCE], walk, "srcids.instance is not a string"));
                    if (KEY("resolver_endpoint")) return state.fold(read_string(v, f[VJ_DNS_SRCIDS_RESOLVER_ENDPOINT], walk, "srcids.resolver_endpoint is not a string"));
                    return Outcome::ok;
                }));
            }
            break;
        case 7:
            if (KEY("version")) return state.fold(read_scalar_text(v, f[VJ_DNS_VERSION], walk, "version is not a scalar"));
            if (KEY("answers")) return state.fold(read_raw(v, f[VJ_DNS_ANSWERS_RAW], walk));
            if (KEY("srcaddr")) return state.fold(read_string(v, f[VJ_DNS_SRCADDR], walk, "srcaddr is not a string"));
            if (KEY("srcport")) return state.fold(read_scalar_text(v, f[VJ_DNS_SRCPORT], walk, "srcport is not a scalar"));
            break;
        case 9: if (KEY("transport")) return state.fold(read_string(v, f[VJ_DNS_TRANSPORT], walk, "transport is not a string")); break;
        case 10:
            if (KEY("account_id")) return state.fold(read_string(v, f[VJ_DNS_ACCOUNT_ID], walk, "account_id is not a string"));
            if (KEY("query_name")) return state.fold(read_string(v, f[VJ_DNS_QUERY_NAME], walk, "query_name is not a string"));
            if (KEY("query_type")) return state.fold(read_string(v, f[VJ_DNS_QUERY_TYPE], walk, "query_type is not a string"));
            break;
        case 11: if (KEY("query_class")) return state.fold(read_string(v, f[VJ_DNS_QUERY_CLASS], walk, "query_class is not a string")); break;
        case 15: if (KEY("query_timestamp")) return state.fold(read_string(v, f[VJ_DNS_QUERY_TIMESTAMP], walk, "query_timestamp is not a string")); break;
        case 20: if (KEY("firewall_rule_action")) return state.fold(read_string(v, f[VJ_DNS_FIREWALL_RULE_ACTION], walk, "firewall_rule_action is not a string")); break;
        case 22: if (KEY("firewall_rule_group_id")) return state.fold(read_string(v, f[VJ_DNS_FIREWALL_RULE_GROUP_ID], walk, "firewall_rule_group_id is not a string")); break;
        case 23: if (KEY("firewall_domain_list_id")) return state.fold(read_string(v, f[VJ_DNS_FIREWALL_DOMAIN_LIST_ID], walk, "firewall_domain_list_id is not a string")); break;
        default: break;
        }
        return Outcome::ok;
    });
    if (outcome == Outcome::ok && state.bad) return Outcome::bad_record;
    return outcome;
}

// MARK: - Delivery

using RecordReader = Outcome (*)(ondemand::value, vj_str *, Walk &);

template <size_t FieldCount>
struct Fields {
    vj_str f[FieldCount];
    inline void clear() { std::memset(f, 0, sizeof(f)); }
};

inline void report(Walk &walk, vj_location location, const char *message) {
    if (walk.on_error) walk.on_error(walk.context, location, message);
}

inline void deliver(Walk &walk, const vj_str *fields, vj_location location) {
    walk.delivered += 1;
    if (walk.on_record) {
        vj_record record{fields, location};
        if (walk.on_record(walk.context, &record) != 0) walk.stopped = true;
    }
}

// MARK: - Bracket scanner (recovery path)

inline bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

inline const char *skip_space(const char *p, const char *end) {
    while (p < end && is_space(*p)) ++p;
    return p;
}

/// End of a string that starts at the opening quote `p`, or NULL.
inline const char *string_end(const char *p, const char *end) {
    ++p;
    while (p < end) {
        char c = *p;
        if (c == '\\') { p += 2; continue; }
        if (c == '"') return p + 1;
        ++p;
    }
    return nullptr;
}

/// Parses one record from a padded private copy of `[start, end)`.
template <size_t FieldCount>
void parse_isolated(Walk &walk, RecordReader reader, const char *start, const char *end, vj_location location) {
    size_t n = size_t(end - start);
    auto &scratch = walk.parser->scratch;
    if (scratch.size() < n + VJ_PADDING) scratch.resize(n + VJ_PADDING);
    std::memcpy(scratch.data(), start, n);
    std::memset(scratch.data() + n, 0, VJ_PADDING);
    ondemand::document doc;
    if (auto err = walk.parser->parser.iterate(scratch.data(), n, scratch.size()).get(doc)) {
        report(walk, location, error_message(err));
        return;
    }
    ondemand::value value;
    if (auto err = doc.get_value().get(value)) {
        report(walk, location, error_message(err));
        return;
    }
    Fields<FieldCount> fields;
    fields.clear();
    walk.error = nullptr;
    Outcome outcome = reader(value, fields.f, walk);
    if (outcome != Outcome::ok) {
        report(walk, location, walk.error ? walk.error : "malformed record");
        return;
    }
    deliver(walk, fields.f, location);
}

/// Splits the elements of the `Records` array with the bracket scanner and parses each on its own,
/// skipping the first `skip` elements (already delivered by the fast path).
template <size_t FieldCount>
void recover_records(Walk &walk, RecordReader reader, const char *buf, size_t len, uint64_t skip) {
    const char *end = buf + len;
    const char *p = skip_space(buf, end);
    vj_location file_level{UINT64_MAX, 0, 0};
    if (p >= end || *p != '{') {
        report(walk, file_level, "not a JSON object with a Records array");
        return;
    }
    ++p;
    // Find the "Records" key at depth 1.
    for (;;) {
        p = skip_space(p, end);
        if (p >= end || *p != '"') {
            report(walk, file_level, "no Records array found");
            return;
        }
        const char *key_start = p + 1;
        const char *key_end = string_end(p, end);
        if (!key_end) { report(walk, file_level, "unterminated key before Records"); return; }
        bool is_records = (key_end - 1 - key_start) == 7 && std::memcmp(key_start, "Records", 7) == 0;
        p = skip_space(key_end, end);
        if (p >= end || *p != ':') { report(walk, file_level, "malformed object before Records"); return; }
        p = skip_space(p + 1, end);
        if (is_records) break;
        const char *value_end = vj_value_end(p, end);
        if (!value_end) { report(walk, file_level, "truncated value before Records"); return; }
        p = skip_space(value_end, end);
        if (p < end && *p == ',') { ++p; continue; }
        report(walk, file_level, "no Records array found");
        return;
    }
    if (p >= end || *p != '[') { report(walk, file_level, "Records is not an array"); return; }
    ++p;
    uint64_t index = 0;
    while (!walk.stopped) {
        p = skip_space(p, end);
        if (p >= end) {
            report(walk, vj_location{index, 0, uint64_t(p - buf)}, "file ends inside the Records array (truncated)");
            return;
        }
        if (*p == ']') return;
        if (*p == ',') { ++p; continue; }
        const char *value_end = vj_value_end(p, end);
        vj_location location{index, 0, uint64_t(p - buf)};
        if (!value_end) {
            if (index >= skip) report(walk, location, "record is truncated");
            return;
        }
        if (index >= skip) parse_isolated<FieldCount>(walk, reader, p, value_end, location);
        index += 1;
        p = value_end;
        p = skip_space(p, end);
        if (p < end && *p != ',' && *p != ']') {
            // Garbage between records: resynchronise at the next object.
            report(walk, vj_location{index, 0, uint64_t(p - buf)}, "unexpected bytes between records");
            while (p < end && *p != '{' && *p != ']') ++p;
        }
    }
}

/// Walks one JSON object per line. Each line is its own document, so a bad line never affects
/// another.
template <size_t FieldCount>
void walk_lines(Walk &walk, RecordReader reader, const char *buf, size_t len, size_t capacity) {
    const char *end = buf + len;
    const char *limit = buf + capacity;
    const char *line = buf;
    uint64_t line_number = 0;
    uint64_t ordinal = 0;
    Fields<FieldCount> fields;
    while (line < end && !walk.stopped) {
        line_number += 1;
        const char *newline = static_cast<const char *>(std::memchr(line, '\n', size_t(end - line)));
        const char *line_end = newline ? newline : end;
        const char *next = newline ? newline + 1 : end;
        const char *first = skip_space(line, line_end);
        if (first == line_end) { line = next; continue; }
        vj_location location{ordinal++, line_number, uint64_t(line - buf)};
        ondemand::document doc;
        auto err = walk.parser->parser.iterate(line, size_t(line_end - line), size_t(limit - line)).get(doc);
        ondemand::value value;
        if (!err) err = doc.get_value().get(value);
        if (err) {
            report(walk, location, error_message(err));
            line = next;
            continue;
        }
        fields.clear();
        walk.error = nullptr;
        Outcome outcome = reader(value, fields.f, walk);
        if (outcome != Outcome::ok) {
            report(walk, location, walk.error ? walk.error : "malformed record");
        } else {
            deliver(walk, fields.f, location);
        }
        line = next;
    }
}

} // namespace

// MARK: - C API

extern "C" {

vj_parser *vj_parser_create(void) { return new (std::nothrow) vj_parser(); }

void vj_parser_destroy(vj_parser *parser) { delete parser; }

const char *vj_value_end(const char *p, const char *end) {
    if (p >= end) return nullptr;
    char c = *p;
    if (c == '"') return string_end(p, end);
    if (c == '{' || c == '[') {
        int depth = 0;
        while (p < end) {
            char ch = *p;
            if (ch == '"') {
                p = string_end(p, end);
                if (!p) return nullptr;
                continue;
            }
            if (ch == '{' || ch == '[') ++depth;
            else if (ch == '}' || ch == ']') {
                if (--depth == 0) return p + 1;
            }
            ++p;
        }
        return nullptr;
    }
    while (p < end && !is_space(*p) && *p != ',' && *p != '}' && *p != ']') ++p;
    return p;
}

uint64_t vj_cloudtrail_document(vj_parser *parser, const char *buf, size_t len, size_t capacity,
                                vj_record_callback on_record, vj_error_callback on_error, void *context) {
    Walk walk{parser, on_record, on_error, context};
    constexpr size_t N = VJ_CT_FIELD_COUNT;
    ondemand::document doc;
    if (parser->parser.iterate(buf, len, capacity).get(doc)) {
        // Stage 1 rejected the document (bad UTF-8, unclosed string, …): read record by record.
        recover_records<N>(walk, read_cloudtrail_event, buf, len, 0);
        return walk.delivered;
    }
    ondemand::object root;
    if (auto err = doc.get_object().get(root)) {
        if (err == INCORRECT_TYPE) {
            report(walk, vj_location{UINT64_MAX, 0, 0}, "not a JSON object with a Records array");
            return 0;
        }
        recover_records<N>(walk, read_cloudtrail_event, buf, len, 0);
        return walk.delivered;
    }
    uint64_t index = 0;
    bool found = false;
    Fields<N> fields;
    for (auto field_result : root) {
        ondemand::field field;
        if (std::move(field_result).get(field)) break;
        const char *k = field.key().raw();
        size_t n = key_length(k);
        if (!KEY("Records")) continue;
        found = true;
        ondemand::array records;
        auto err = field.value().get_array().get(records);
        if (err == INCORRECT_TYPE) {
            report(walk, vj_location{UINT64_MAX, 0, 0}, "Records is not an array");
            return walk.delivered;
        }
        if (err) break;
        for (auto element : records) {
            ondemand::value value;
            if (element.get(value)) goto broken;
            const char *start = nullptr;
            if (value.current_location().get(start)) goto broken;
            vj_location location{index, 0, uint64_t(start - buf)};
            fields.clear();
            walk.error = nullptr;
            switch (read_cloudtrail_event(value, fields.f, walk)) {
            case Outcome::ok:
                deliver(walk, fields.f, location);
                if (walk.stopped) return walk.delivered;
                break;
            case Outcome::bad_record:
                report(walk, location, walk.error ? walk.error : "malformed record");
                break;
            case Outcome::broken:
                goto broken;
            }
            index += 1;
        }
        // Trailing bytes or a broken iterator after the last element are caught by at_end below.
        break;
    }
    if (!found) {
        // Either there is no Records key, or the object broke before it: let the scanner decide.
        recover_records<N>(walk, read_cloudtrail_event, buf, len, index);
        return walk.delivered;
    }
    return walk.delivered;
broken:
    // The document is damaged at record `index`: the scanner reads the rest one record at a time.
    recover_records<N>(walk, read_cloudtrail_event, buf, len, index);
    return walk.delivered;
}

uint64_t vj_cloudtrail_lines(vj_parser *parser, const char *buf, size_t len, size_t capacity,
                             vj_record_callback on_record, vj_error_callback on_error, void *context) {
    Walk walk{parser, on_record, on_error, context};
    walk_lines<VJ_CT_FIELD_COUNT>(walk, read_cloudtrail_event, buf, len, capacity);
    return walk.delivered;
}

uint64_t vj_resolver_lines(vj_parser *parser, const char *buf, size_t len, size_t capacity,
                           vj_record_callback on_record, vj_error_callback on_error, void *context) {
    Walk walk{parser, on_record, on_error, context};
    walk_lines<VJ_DNS_FIELD_COUNT>(walk, read_resolver_record, buf, len, capacity);
    return walk.delivered;
}

const char *vj_implementation_name(void) {
    return simdjson::get_active_implementation()->name().data();
}

} // extern "C"
