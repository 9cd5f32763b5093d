/* ttd-photo-host-s3.c — photos in a bucket of an S3-compatible store
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ttd-error.h"
#include "ttd-http.h"
#include "ttd-log.h"
#include "ttd-photo-host-private.h"
#include "ttd-secure.h"
#include "ttd-sigv4.h"

/* Cloudflare R2, Backblaze B2, AWS S3 and MinIO all take the same
 * requests: a PUT or DELETE of one object, signed with AWS Signature
 * Version 4 in the Authorization header (ttd-sigv4.c), the body's SHA-256
 * in x-amz-content-sha256. What the store refuses comes back as a small
 * XML document whose <Code> says why; each code a user can cause gets its
 * own sentence. */

#define BUCKET_MIN 3
#define BUCKET_MAX 63

struct _TtdS3Target
{
  char     *endpoint;          /* no trailing "/" */
  char     *bucket;
  char     *region;
  char     *access_key_id;
  char     *secret_access_key;
  char     *session_token;     /* nullable */
  gboolean  virtual_hosted;
};

static gboolean
is_set (const char *value)
{
  return value != NULL && *value != '\0';
}

/* S3's rules for bucket names (R2 and B2 share them): 3–63 lower-case
 * letters, digits, dots and hyphens, a letter or digit at each end. Also
 * what keeps virtual-hosted addressing a valid host name. */
static gboolean
bucket_name_is_valid (const char *bucket)
{
  gsize len = strlen (bucket);

  if (len < BUCKET_MIN || len > BUCKET_MAX ||
      !g_ascii_isalnum (bucket[0]) || !g_ascii_isalnum (bucket[len - 1]))
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if (!(g_ascii_islower (bucket[i]) || g_ascii_isdigit (bucket[i]) ||
          bucket[i] == '.' || bucket[i] == '-'))
      return FALSE;

  return strstr (bucket, "..") == NULL;
}

/* "auto": AWS wants virtual-hosted requests; R2, B2 and MinIO take
 * path-style ones, which also work without a wildcard DNS name. */
static gboolean
choose_addressing (const char  *addressing,
                   const char  *endpoint,
                   gboolean    *virtual_hosted,
                   GError     **error)
{
  if (!is_set (addressing) || g_str_equal (addressing, "auto"))
    {
      g_autoptr(GUri) uri = g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL);
      const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

      *virtual_hosted = host != NULL && g_str_has_suffix (host, ".amazonaws.com");
      return TRUE;
    }
  if (g_str_equal (addressing, "path") || g_str_equal (addressing, "virtual"))
    {
      *virtual_hosted = g_str_equal (addressing, "virtual");
      return TRUE;
    }

  g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
               _("The S3 addressing style “%s” is not known; use auto, path or virtual."), addressing);
  return FALSE;
}

/**
 * _ttd_s3_normalize_prefix:
 *
 * Returns: (transfer full): @prefix without leading slashes and with one
 *   trailing slash, or "" for none
 */
char *
_ttd_s3_normalize_prefix (const char *prefix)
{
  g_autofree char *trimmed = NULL;

  while (prefix != NULL && *prefix == '/')
    prefix++;
  if (!is_set (prefix))
    return g_strdup ("");

  trimmed = g_strdup (prefix);
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';

  return g_strconcat (trimmed, "/", NULL);
}

/**
 * _ttd_s3_target_new:
 *
 * Returns: (transfer full): the target, or %NULL with one sentence saying
 *   which setting is missing or wrong
 */
TtdS3Target *
_ttd_s3_target_new (const TtdConfig  *config,
                    GError          **error)
{
  g_autoptr(TtdS3Target) self = NULL;

  if (!is_set (config->s3_endpoint) || !is_set (config->s3_bucket) ||
      !is_set (config->s3_access_key_id) || !is_set (config->photo_public_url))
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                   _("The S3 photo host needs an endpoint, a bucket, an access key ID and the bucket's public address: set them in Preferences (or %s, %s, %s and %s)."),
                   TTD_ENV_S3_ENDPOINT, TTD_ENV_S3_BUCKET, TTD_ENV_S3_ACCESS_KEY_ID,
                   TTD_ENV_PHOTO_PUBLIC_URL);
      return NULL;
    }

  if (!is_set (config->s3_secret_access_key))
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                   _("No secret access key is saved for the S3 access key ID “%s”. Enter it in Preferences (or %s)."),
                   config->s3_access_key_id, TTD_ENV_S3_SECRET_ACCESS_KEY);
      return NULL;
    }

  if (!ttd_check_base_uri (_("S3 endpoint"), config->s3_endpoint, error))
    return NULL;

  if (!bucket_name_is_valid (config->s3_bucket))
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                   _("“%s” is not a valid S3 bucket name: use 3 to 63 lower-case letters, digits, dots and hyphens."),
                   config->s3_bucket);
      return NULL;
    }

  self = g_new0 (TtdS3Target, 1);
  if (!choose_addressing (config->s3_addressing, config->s3_endpoint, &self->virtual_hosted, error))
    return NULL;

  self->endpoint = g_strdup (config->s3_endpoint);
  while (g_str_has_suffix (self->endpoint, "/"))
    self->endpoint[strlen (self->endpoint) - 1] = '\0';
  self->bucket = g_strdup (config->s3_bucket);
  self->region = g_strdup (is_set (config->s3_region) ? config->s3_region : TTD_SIGV4_DEFAULT_REGION);
  self->access_key_id = g_strdup (config->s3_access_key_id);
  self->secret_access_key = g_strdup (config->s3_secret_access_key);
  self->session_token = is_set (config->s3_session_token) ? g_strdup (config->s3_session_token) : NULL;

  ttd_log_add_secret (self->secret_access_key);
  ttd_log_add_secret (self->session_token);

  return g_steal_pointer (&self);
}

void
_ttd_s3_target_free (TtdS3Target *self)
{
  if (self == NULL)
    return;

  g_free (self->endpoint);
  g_free (self->bucket);
  g_free (self->region);
  g_free (self->access_key_id);
  ttd_secure_free (self->secret_access_key);
  ttd_secure_free (self->session_token);
  g_free (self);
}

/* What the hosted-photos ledger files this bucket's photos under. */
char *
_ttd_s3_target_id (TtdS3Target *self,
                   const char  *prefix)
{
  return g_strdup_printf ("s3:%s/%s/%s", self->endpoint, self->bucket, prefix);
}

/**
 * _ttd_s3_target_message:
 * @key: the object's key, unencoded
 * @body: (nullable): the object, for a PUT
 *
 * Returns: (transfer full): a signed request for @key, or %NULL with @error
 */
SoupMessage *
_ttd_s3_target_message (TtdS3Target  *self,
                        const char   *method,
                        const char   *key,
                        GBytes       *body,
                        GError      **error)
{
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = ttd_sigv4_object_url (self->endpoint, self->bucket, key,
                                               self->virtual_hosted, &host, &path);
  g_autofree char *payload_sha256 = NULL;
  g_autoptr(TtdSigV4Headers) signed_headers = NULL;
  g_autoptr(SoupMessage) message = NULL;
  SoupMessageHeaders *headers;
  TtdSigV4Request request = { 0 };

  if (url == NULL)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                   _("The S3 endpoint “%s” is not a valid web address."), self->endpoint);
      return NULL;
    }

  message = ttd_http_message_new (_("S3 endpoint"), method, url, error);
  if (message == NULL)
    return NULL;

  if (body != NULL)
    payload_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
  else
    payload_sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) "", 0);

  request.method = method;
  request.host = host;
  request.path = path;
  request.payload_sha256 = payload_sha256;
  request.region = self->region;
  request.access_key_id = self->access_key_id;
  request.secret_access_key = self->secret_access_key;
  request.session_token = self->session_token;
  signed_headers = ttd_sigv4_sign (&request);

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Authorization", signed_headers->authorization);
  soup_message_headers_replace (headers, "x-amz-date", signed_headers->amz_date);
  soup_message_headers_replace (headers, "x-amz-content-sha256", signed_headers->content_sha256);
  if (signed_headers->security_token != NULL)
    soup_message_headers_replace (headers, "x-amz-security-token", signed_headers->security_token);

  if (body != NULL)
    soup_message_set_request_body_from_bytes (message, "image/jpeg", body);

  return g_steal_pointer (&message);
}

/* <Error><Code>NoSuchBucket</Code>…</Error>: only the code is read. */

typedef struct
{
  gboolean  in_code;
  GString  *code;
} CodeParser;

static void
code_start (GMarkupParseContext  *context,
            const char           *element,
            const char          **names,
            const char          **values,
            gpointer              user_data,
            GError              **error)
{
  CodeParser *parser = user_data;
  const GSList *stack = g_markup_parse_context_get_element_stack (context);

  /* <Error><Code>, nothing deeper */
  parser->in_code = g_str_equal (element, "Code") && g_slist_length ((GSList *) stack) == 2 &&
                    g_str_equal (stack->next->data, "Error");
}

static void
code_end (GMarkupParseContext  *context,
          const char           *element,
          gpointer              user_data,
          GError              **error)
{
  ((CodeParser *) user_data)->in_code = FALSE;
}

static void
code_text (GMarkupParseContext  *context,
           const char           *text,
           gsize                 len,
           gpointer              user_data,
           GError              **error)
{
  CodeParser *parser = user_data;

  if (parser->in_code && parser->code->len + len <= 64)
    g_string_append_len (parser->code, text, len);
}

/**
 * _ttd_s3_error_code:
 *
 * Returns: (transfer full) (nullable): the <Code> of an S3 error document,
 *   letters and digits only, or %NULL when @answer is not one
 */
char *
_ttd_s3_error_code (GBytes *answer)
{
  static const GMarkupParser callbacks = { code_start, code_end, code_text, NULL, NULL };
  CodeParser parser = { FALSE, g_string_new (NULL) };
  g_autoptr(GMarkupParseContext) context = NULL;
  gsize size = 0;
  const char *data = answer != NULL ? g_bytes_get_data (answer, &size) : NULL;
  const char *start;

  if (data == NULL || size == 0)
    return g_string_free (parser.code, TRUE), NULL;

  /* GMarkup takes no XML declaration. */
  start = g_strstr_len (data, size, "<Error");
  if (start == NULL)
    return g_string_free (parser.code, TRUE), NULL;

  context = g_markup_parse_context_new (&callbacks, G_MARKUP_IGNORE_QUALIFIED, &parser, NULL);
  if (!g_markup_parse_context_parse (context, start, size - (start - data), NULL) ||
      parser.code->len == 0)
    return g_string_free (parser.code, TRUE), NULL;

  for (gsize i = 0; i < parser.code->len; i++)
    if (!g_ascii_isalnum (parser.code->str[i]))
      return g_string_free (parser.code, TRUE), NULL;

  return g_string_free (parser.code, FALSE);
}

/**
 * _ttd_s3_target_refused:
 * @answer: (nullable): the body of the refusal
 * @action: “store” or “delete”, translated
 *
 * Sets @error to one sentence saying what to change.
 *
 * Returns: %FALSE
 */
gboolean
_ttd_s3_target_refused (TtdS3Target  *self,
                        guint         status,
                        GBytes       *answer,
                        const char   *action,
                        GError      **error)
{
  g_autofree char *code = _ttd_s3_error_code (answer);
  const char *c = code != NULL ? code : "";

  if (g_str_equal (c, "InvalidAccessKeyId"))
    g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                 _("The S3 host does not know the access key ID “%s”. Check the access key ID in Preferences."),
                 self->access_key_id);
  else if (g_str_equal (c, "SignatureDoesNotMatch"))
    g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                 _("The S3 host refused the secret access key of “%s”. Check the secret access key in Preferences."),
                 self->access_key_id);
  else if (g_str_equal (c, "RequestTimeTooSkewed"))
    g_set_error_literal (error, TTD_ERROR, TTD_ERROR_CONFIG,
                         _("The S3 host refused the request because this computer's clock is more than 15 minutes off. Set the date and time right (automatic time is best) and try again."));
  else if (g_str_equal (c, "NoSuchBucket"))
    g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                 _("The S3 host has no bucket named “%s”. Check the bucket name in Preferences."),
                 self->bucket);
  else if (g_str_equal (c, "InvalidToken") || g_str_equal (c, "ExpiredToken") ||
           g_str_equal (c, "TokenRefreshRequired"))
    g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                 _("The S3 host refused the session token; it may have expired. Set a current one in %s."),
                 TTD_ENV_S3_SESSION_TOKEN);
  else if (g_str_equal (c, "AuthorizationHeaderMalformed"))
    g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                 _("The S3 host refused requests signed for the region “%s”. Set the bucket's region in Preferences (“auto” suits Cloudflare R2; AWS needs one such as “us-east-1”)."),
                 self->region);
  else if (g_str_equal (c, "AccessDenied") || g_str_equal (c, "AllAccessDisabled") ||
           status == SOUP_STATUS_FORBIDDEN || status == SOUP_STATUS_UNAUTHORIZED)
    g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                 /* Translators: %s are the access key ID and the bucket name */
                 _("The S3 host does not let the key “%s” put and delete photos in the bucket “%s”. Give the key that permission, or use one that has it."),
                 self->access_key_id, self->bucket);
  else if (g_str_equal (c, "XAmzContentSHA256Mismatch") || g_str_equal (c, "BadDigest") ||
           g_str_equal (c, "IncompleteBody"))
    g_set_error_literal (error, TTD_ERROR, TTD_ERROR_NETWORK,
                         _("The photo arrived damaged at the S3 host. Try again."));
  else if (status >= 500 || g_str_equal (c, "SlowDown"))
    g_set_error (error, TTD_ERROR, TTD_ERROR_SERVER,
                 _("The S3 host is busy or had a problem (HTTP %u). Try again in a moment."), status);
  else if (code != NULL)
    g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                 /* Translators: %s are “store” or “delete”, then S3's error code such as “InvalidBucketName”; %u an HTTP status */
                 _("The S3 host refused to %s the photo (%s, HTTP %u). Check the S3 settings in Preferences."),
                 action, code, status);
  else
    g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                 /* Translators: %s is “store” or “delete”, %u an HTTP status */
                 _("The S3 host could not %s the photo (HTTP %u). Check the S3 endpoint in Preferences."),
                 action, status);
  return FALSE;
}
