/* ttd-sigv4.c — AWS Signature Version 4 for S3-compatible hosts
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure GLib: GChecksum for SHA-256, GHmac for the key derivation. The
 * secret and every derived key are wiped as soon as they are used; nothing
 * secret is ever logged.
 */

#include "ttd-sigv4.h"

#include <string.h>

#define SHA256_LEN 32

typedef struct
{
  char *name;   /* lower case */
  char *value;  /* trimmed */
} Pair;

static void
pair_clear (gpointer p)
{
  Pair *pair = p;
  g_free (pair->name);
  g_free (pair->value);
}

static int
pair_compare (gconstpointer a, gconstpointer b)
{
  const Pair *pa = a, *pb = b;
  int r = strcmp (pa->name, pb->name);
  return r != 0 ? r : strcmp (pa->value, pb->value);
}

static void
wipe (gpointer p, gsize len)
{
  explicit_bzero (p, len);
}

/* SigV4's UriEncode: every byte but A-Z a-z 0-9 - _ . ~ is %XX (upper case);
 * '/' is kept only when encoding an object path, so each segment is encoded
 * exactly once. */
char *
ttd_sigv4_uri_encode (const char *s,
                      gboolean    keep_slash)
{
  GString *out = g_string_sized_new (strlen (s) * 3);

  for (const guchar *p = (const guchar *) s; *p; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~' ||
          (keep_slash && *p == '/'))
        g_string_append_c (out, *p);
      else
        g_string_append_printf (out, "%%%02X", *p);
    }
  return g_string_free (out, FALSE);
}

static const char *
region_of (const TtdSigV4Request *req)
{
  return req->region != NULL && *req->region != '\0' ? req->region : TTD_SIGV4_DEFAULT_REGION;
}

static GArray *
signed_header_list (const TtdSigV4Request *req,
                    const char            *amz_date)
{
  GArray *list = g_array_new (FALSE, FALSE, sizeof (Pair));
  g_array_set_clear_func (list, pair_clear);

#define ADD(n, v) G_STMT_START { \
    Pair pair = { g_ascii_strdown ((n), -1), g_strstrip (g_strdup (v)) }; \
    g_array_append_val (list, pair); } G_STMT_END

  ADD ("host", req->host);
  ADD ("x-amz-content-sha256", req->payload_sha256);
  ADD ("x-amz-date", amz_date);
  if (req->session_token != NULL)
    ADD ("x-amz-security-token", req->session_token);
  for (const char * const *h = req->headers; h != NULL && h[0] != NULL && h[1] != NULL; h += 2)
    ADD (h[0], h[1]);
#undef ADD

  g_array_sort (list, pair_compare);
  return list;
}

static char *
signed_header_names (GArray *list)
{
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < list->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ';');
      g_string_append (out, g_array_index (list, Pair, i).name);
    }
  return g_string_free (out, FALSE);
}

static char *
canonical_query (const TtdSigV4Request *req)
{
  g_autoptr(GArray) list = g_array_new (FALSE, FALSE, sizeof (Pair));
  GString *out = g_string_new (NULL);

  g_array_set_clear_func (list, pair_clear);
  for (const char * const *q = req->query; q != NULL && q[0] != NULL; q += 2)
    {
      Pair pair = { ttd_sigv4_uri_encode (q[0], FALSE),
                    ttd_sigv4_uri_encode (q[1] != NULL ? q[1] : "", FALSE) };
      g_array_append_val (list, pair);
      if (q[1] == NULL)
        break;
    }
  g_array_sort (list, pair_compare);

  for (guint i = 0; i < list->len; i++)
    {
      const Pair *pair = &g_array_index (list, Pair, i);
      g_string_append_printf (out, "%s%s=%s", i > 0 ? "&" : "", pair->name, pair->value);
    }
  return g_string_free (out, FALSE);
}

char *
ttd_sigv4_canonical_request (const TtdSigV4Request *req,
                             const char            *amz_date)
{
  g_autoptr(GArray) headers = signed_header_list (req, amz_date);
  g_autofree char *names = signed_header_names (headers);
  g_autofree char *path = ttd_sigv4_uri_encode (req->path != NULL && *req->path ? req->path : "/", TRUE);
  g_autofree char *query = canonical_query (req);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%s\n%s\n%s\n", req->method, path, query);
  for (guint i = 0; i < headers->len; i++)
    {
      const Pair *pair = &g_array_index (headers, Pair, i);
      g_string_append_printf (out, "%s:%s\n", pair->name, pair->value);
    }
  g_string_append_printf (out, "\n%s\n%s", names, req->payload_sha256);
  return g_string_free (out, FALSE);
}

static char *
scope_of (const TtdSigV4Request *req,
          const char            *amz_date)
{
  return g_strdup_printf ("%.8s/%s/s3/aws4_request", amz_date, region_of (req));
}

char *
ttd_sigv4_string_to_sign (const TtdSigV4Request *req,
                          const char            *amz_date,
                          const char            *canonical_request)
{
  g_autofree char *scope = scope_of (req, amz_date);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical_request, -1);

  return g_strdup_printf ("AWS4-HMAC-SHA256\n%s\n%s\n%s", amz_date, scope, hash);
}

/* key := HMAC-SHA256 (key, data), in place. */
static void
hmac_step (guint8      key[SHA256_LEN],
           gsize       key_len,
           const char *data)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_len);
  gsize len = SHA256_LEN;

  g_hmac_update (hmac, (const guchar *) data, strlen (data));
  g_hmac_get_digest (hmac, key, &len);
}

static char *
signature_for (const TtdSigV4Request *req,
               const char            *amz_date,
               const char            *string_to_sign)
{
  g_autofree char *date = g_strndup (amz_date, 8);
  gsize secret_len = strlen (req->secret_access_key) + 4;
  guint8 *first = g_malloc (MAX (secret_len, SHA256_LEN));
  guint8 key[SHA256_LEN];
  g_autoptr(GHmac) hmac = NULL;
  gsize len = SHA256_LEN;

  memcpy (first, "AWS4", 4);
  memcpy (first + 4, req->secret_access_key, secret_len - 4);
  {
    g_autoptr(GHmac) k_date = g_hmac_new (G_CHECKSUM_SHA256, first, secret_len);
    g_hmac_update (k_date, (const guchar *) date, -1);
    g_hmac_get_digest (k_date, key, &len);
  }
  wipe (first, MAX (secret_len, SHA256_LEN));
  g_free (first);

  hmac_step (key, SHA256_LEN, region_of (req));
  hmac_step (key, SHA256_LEN, "s3");
  hmac_step (key, SHA256_LEN, "aws4_request");

  hmac = g_hmac_new (G_CHECKSUM_SHA256, key, SHA256_LEN);
  wipe (key, sizeof key);
  g_hmac_update (hmac, (const guchar *) string_to_sign, -1);
  return g_strdup (g_hmac_get_string (hmac));
}

static char *
amz_date_of (GDateTime *time)
{
  g_autoptr(GDateTime) now = time != NULL ? g_date_time_to_utc (time) : g_date_time_new_now_utc ();
  return g_date_time_format (now, "%Y%m%dT%H%M%SZ");
}

/**
 * ttd_sigv4_sign:
 * @req: the request to sign
 *
 * Returns: (transfer full): the headers to send with the request
 */
TtdSigV4Headers *
ttd_sigv4_sign (const TtdSigV4Request *req)
{
  g_autofree char *amz_date = amz_date_of (req->time);
  g_autoptr(GArray) headers = signed_header_list (req, amz_date);
  g_autofree char *names = signed_header_names (headers);
  g_autofree char *canonical = ttd_sigv4_canonical_request (req, amz_date);
  g_autofree char *to_sign = ttd_sigv4_string_to_sign (req, amz_date, canonical);
  g_autofree char *signature = signature_for (req, amz_date, to_sign);
  g_autofree char *scope = scope_of (req, amz_date);
  TtdSigV4Headers *out = g_new0 (TtdSigV4Headers, 1);

  out->authorization = g_strdup_printf ("AWS4-HMAC-SHA256 Credential=%s/%s, "
                                        "SignedHeaders=%s, Signature=%s",
                                        req->access_key_id, scope, names, signature);
  out->amz_date = g_steal_pointer (&amz_date);
  out->content_sha256 = g_strdup (req->payload_sha256);
  out->security_token = g_strdup (req->session_token);
  return out;
}

void
ttd_sigv4_headers_free (TtdSigV4Headers *headers)
{
  if (headers == NULL)
    return;
  g_free (headers->authorization);
  g_free (headers->amz_date);
  g_free (headers->content_sha256);
  if (headers->security_token != NULL)
    wipe (headers->security_token, strlen (headers->security_token));
  g_free (headers->security_token);
  g_free (headers);
}

/**
 * ttd_sigv4_object_url:
 * @endpoint: e.g. "https://s3.us-east-1.amazonaws.com" or "http://127.0.0.1:9000"
 * @bucket: the bucket name
 * @key: the unencoded object key
 * @virtual_hosted: %TRUE for bucket.host addressing, %FALSE for host/bucket
 * @host_out: (out) (optional): the Host header value
 * @path_out: (out) (optional): the unencoded path to sign
 *
 * Returns: (transfer full) (nullable): the encoded URL, or %NULL if @endpoint
 *   is not an absolute http(s) URL
 */
char *
ttd_sigv4_object_url (const char  *endpoint,
                      const char  *bucket,
                      const char  *key,
                      gboolean     virtual_hosted,
                      char       **host_out,
                      char       **path_out)
{
  g_autoptr(GUri) uri = g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL);
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autofree char *encoded = NULL;
  const char *scheme;
  int port;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0)
    return NULL;

  port = g_uri_get_port (uri);
  host = virtual_hosted ? g_strdup_printf ("%s.%s", bucket, g_uri_get_host (uri))
                        : g_strdup (g_uri_get_host (uri));
  if (port > 0 && !((port == 443 && g_str_equal (scheme, "https")) ||
                    (port == 80 && g_str_equal (scheme, "http"))))
    {
      char *with_port = g_strdup_printf ("%s:%d", host, port);
      g_free (host);
      host = with_port;
    }
  path = virtual_hosted ? g_strdup_printf ("/%s", key) : g_strdup_printf ("/%s/%s", bucket, key);
  encoded = ttd_sigv4_uri_encode (path, TRUE);

  if (host_out != NULL)
    *host_out = g_strdup (host);
  if (path_out != NULL)
    *path_out = g_steal_pointer (&path);
  return g_strdup_printf ("%s://%s%s", scheme, host, encoded);
}
