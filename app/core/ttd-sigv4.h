/* ttd-sigv4.h — AWS Signature Version 4 for S3-compatible hosts
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TTD_SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"
#define TTD_SIGV4_DEFAULT_REGION   "auto"

/**
 * TtdSigV4Request:
 * @method: HTTP method, e.g. "PUT"
 * @host: the Host header value (with ":port" when not the default)
 * @path: the unencoded object path, e.g. "/bucket/photo 1.jpg"
 * @query: (nullable): NULL-terminated list of unencoded name, value pairs
 * @headers: (nullable): NULL-terminated list of extra name, value pairs to sign
 * @payload_sha256: lower-case hex SHA-256 of the body, or %TTD_SIGV4_UNSIGNED_PAYLOAD
 * @region: (nullable): signing region; %NULL means %TTD_SIGV4_DEFAULT_REGION
 * @access_key_id: the access key id
 * @secret_access_key: the secret; never logged, derived keys are wiped
 * @session_token: (nullable): sent as x-amz-security-token
 * @time: (nullable): signing time; %NULL means now
 */
typedef struct
{
  const char         *method;
  const char         *host;
  const char         *path;
  const char * const *query;
  const char * const *headers;
  const char         *payload_sha256;
  const char         *region;
  const char         *access_key_id;
  const char         *secret_access_key;
  const char         *session_token;
  GDateTime          *time;
} TtdSigV4Request;

/**
 * TtdSigV4Headers:
 * The headers a signed request must carry (besides the signed extra headers).
 */
typedef struct
{
  char *authorization;
  char *amz_date;
  char *content_sha256;
  char *security_token;   /* nullable */
} TtdSigV4Headers;

char            *ttd_sigv4_uri_encode         (const char            *s,
                                               gboolean               keep_slash);
char            *ttd_sigv4_canonical_request  (const TtdSigV4Request *req,
                                               const char            *amz_date);
char            *ttd_sigv4_string_to_sign     (const TtdSigV4Request *req,
                                               const char            *amz_date,
                                               const char            *canonical_request);
TtdSigV4Headers *ttd_sigv4_sign               (const TtdSigV4Request *req);
void             ttd_sigv4_headers_free       (TtdSigV4Headers       *headers);

char            *ttd_sigv4_object_url         (const char            *endpoint,
                                               const char            *bucket,
                                               const char            *key,
                                               gboolean               virtual_hosted,
                                               char                 **host_out,
                                               char                 **path_out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtdSigV4Headers, ttd_sigv4_headers_free)

G_END_DECLS
