/* ttd-config.c
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ttd-config.h"
#include "ttd-error.h"
#include "ttd-secure.h"
#include "ttd-token-store.h"

G_DEFINE_BOXED_TYPE (TtdConfig, ttd_config, ttd_config_copy, ttd_config_free)

TtdConfig *
ttd_config_new (void)
{
  TtdConfig *self = g_new0 (TtdConfig, 1);

  self->api_base = g_strdup (TTD_DEFAULT_API_BASE);
  self->auth_url = g_strdup (TTD_DEFAULT_AUTH_URL);

  return self;
}

TtdConfig *
ttd_config_copy (const TtdConfig *self)
{
  TtdConfig *copy = g_new0 (TtdConfig, 1);

  copy->client_key = g_strdup (self->client_key);
  copy->client_secret = g_strdup (self->client_secret);
  copy->api_base = g_strdup (self->api_base);
  copy->auth_url = g_strdup (self->auth_url);
  copy->photo_upload_url = g_strdup (self->photo_upload_url);
  copy->photo_public_url = g_strdup (self->photo_public_url);
  copy->photo_auth = g_strdup (self->photo_auth);
  copy->photo_username = g_strdup (self->photo_username);
  copy->photo_password = g_strdup (self->photo_password);
  copy->photo_host_type = g_strdup (self->photo_host_type);
  copy->s3_endpoint = g_strdup (self->s3_endpoint);
  copy->s3_bucket = g_strdup (self->s3_bucket);
  copy->s3_region = g_strdup (self->s3_region);
  copy->s3_prefix = g_strdup (self->s3_prefix);
  copy->s3_addressing = g_strdup (self->s3_addressing);
  copy->s3_access_key_id = g_strdup (self->s3_access_key_id);
  copy->s3_secret_access_key = g_strdup (self->s3_secret_access_key);
  copy->s3_session_token = g_strdup (self->s3_session_token);
  copy->jpeg_quality = self->jpeg_quality;

  return copy;
}

void
ttd_config_free (TtdConfig *self)
{
  if (self == NULL)
    return;

  g_free (self->client_key);
  ttd_secure_free (self->client_secret);
  g_free (self->api_base);
  g_free (self->auth_url);
  g_free (self->photo_upload_url);
  g_free (self->photo_public_url);
  g_free (self->photo_auth);
  g_free (self->photo_username);
  ttd_secure_free (self->photo_password);
  g_free (self->photo_host_type);
  g_free (self->s3_endpoint);
  g_free (self->s3_bucket);
  g_free (self->s3_region);
  g_free (self->s3_prefix);
  g_free (self->s3_addressing);
  g_free (self->s3_access_key_id);
  ttd_secure_free (self->s3_secret_access_key);
  ttd_secure_free (self->s3_session_token);
  g_free (self);
}

/* Empty strings count as "not set", so an empty GSettings key or an empty
 * environment variable never overrides a real value with nothing. */
void
ttd_config_set (char      **field,
                const char *value)
{
  if (value == NULL || *value == '\0')
    return;

  if (field == NULL)
    return;

  ttd_secure_free (*field);
  *field = g_strdup (value);
}

/**
 * ttd_config_apply_env:
 *
 * Lets the TIKTOK_DRAFTS_* environment variables override what is set,
 * then gives a WebDAV photo host without a public address its upload
 * address. Call it after defaults and stored settings, before
 * command-line options.
 */
void
ttd_config_apply_env (TtdConfig *self)
{
  g_return_if_fail (self != NULL);

  ttd_config_set (&self->client_key, g_getenv (TTD_ENV_CLIENT_KEY));
  ttd_config_set (&self->client_secret, g_getenv (TTD_ENV_CLIENT_SECRET));
  ttd_config_set (&self->api_base, g_getenv (TTD_ENV_API_BASE));
  ttd_config_set (&self->auth_url, g_getenv (TTD_ENV_AUTH_URL));
  ttd_config_set (&self->photo_upload_url, g_getenv (TTD_ENV_PHOTO_UPLOAD_URL));
  ttd_config_set (&self->photo_public_url, g_getenv (TTD_ENV_PHOTO_PUBLIC_URL));
  ttd_config_set (&self->photo_auth, g_getenv (TTD_ENV_PHOTO_AUTH));
  ttd_config_set (&self->photo_username, g_getenv (TTD_ENV_PHOTO_USERNAME));
  ttd_config_set (&self->photo_password, g_getenv (TTD_ENV_PHOTO_PASSWORD));
  ttd_config_set (&self->photo_host_type, g_getenv (TTD_ENV_PHOTO_HOST));
  ttd_config_set (&self->s3_endpoint, g_getenv (TTD_ENV_S3_ENDPOINT));
  ttd_config_set (&self->s3_bucket, g_getenv (TTD_ENV_S3_BUCKET));
  ttd_config_set (&self->s3_region, g_getenv (TTD_ENV_S3_REGION));
  ttd_config_set (&self->s3_prefix, g_getenv (TTD_ENV_S3_PREFIX));
  ttd_config_set (&self->s3_addressing, g_getenv (TTD_ENV_S3_ADDRESSING));
  ttd_config_set (&self->s3_access_key_id, g_getenv (TTD_ENV_S3_ACCESS_KEY_ID));
  ttd_config_set (&self->s3_secret_access_key, g_getenv (TTD_ENV_S3_SECRET_ACCESS_KEY));
  ttd_config_set (&self->s3_session_token, g_getenv (TTD_ENV_S3_SESSION_TOKEN));

  /* A WebDAV host without a public address serves its photos where they
   * are uploaded (the photo-public-url setting says so too); a bucket's
   * S3 address is never where TikTok may fetch, so S3 needs its own. */
  if (!ttd_config_photo_host_is_s3 (self) &&
      (self->photo_public_url == NULL || *self->photo_public_url == '\0'))
    ttd_config_set (&self->photo_public_url, self->photo_upload_url);
}

gboolean
ttd_config_photo_host_is_s3 (const TtdConfig *self)
{
  return g_strcmp0 (self->photo_host_type, TTD_PHOTO_HOST_S3) == 0;
}

static gboolean
is_set (const char *value)
{
  return value != NULL && *value != '\0';
}

/**
 * ttd_config_photo_host_configured:
 *
 * Whether a photo host is set up enough to try: for WebDAV an upload and a
 * public address, for S3 an endpoint, a bucket, an access key id and a
 * public address. Whether it works is ttd_photo_host_new()'s and
 * ttd_photo_host_test()'s to say.
 */
gboolean
ttd_config_photo_host_configured (const TtdConfig *self)
{
  if (!is_set (self->photo_public_url))
    return FALSE;

  if (ttd_config_photo_host_is_s3 (self))
    return is_set (self->s3_endpoint) && is_set (self->s3_bucket) && is_set (self->s3_access_key_id);

  return is_set (self->photo_upload_url);
}

/**
 * ttd_config_s3_secret_key:
 *
 * The keyring item's key for the S3 secret access key: one secret per
 * endpoint and access key id, as one password per WebDAV upload address.
 *
 * Returns: (transfer full) (nullable): the key, or %NULL when the endpoint
 *   or the access key id is not set
 */
char *
ttd_config_s3_secret_key (const TtdConfig *self)
{
  if (self->s3_endpoint == NULL || *self->s3_endpoint == '\0' ||
      self->s3_access_key_id == NULL || *self->s3_access_key_id == '\0')
    return NULL;

  return g_strdup_printf ("%s %s", self->s3_endpoint, self->s3_access_key_id);
}

static void
load_secret (char         **field,
             const char    *kind,
             const char    *key,
             GCancellable  *cancellable)
{
  g_autoptr(GError) error = NULL;
  char *secret = ttd_secret_lookup_password (kind, key, cancellable, &error);

  if (error != NULL)
    g_debug ("No %s from the keyring: %s", kind, error->message);
  ttd_config_set (field, secret);
  ttd_secure_free (secret);
}

/**
 * ttd_config_load_secrets:
 * @cancellable: (nullable): cancels the keyring look-ups
 *
 * Fills in the secrets that the app's Preferences keep in the keyring and
 * that are not set yet (the environment comes first): the client secret
 * of the client key, and the photo host's password or token when the host
 * needs one (for an S3-compatible host, the secret access key). Call it once the client key and the photo host are final.
 *
 * A keyring that cannot be read is no error here: the secret stays unset,
 * and ttd_config_validate() or the photo host says what is missing.
 *
 * This blocks, and the keyring may ask to be unlocked: a front end with a
 * main loop calls it from a worker thread.
 */
void
ttd_config_load_secrets (TtdConfig    *self,
                         GCancellable *cancellable)
{
  g_return_if_fail (self != NULL);

  if ((self->client_secret == NULL || *self->client_secret == '\0') &&
      self->client_key != NULL && *self->client_key != '\0')
    load_secret (&self->client_secret, "client-secret", self->client_key, cancellable);

  if ((self->photo_password == NULL || *self->photo_password == '\0') &&
      self->photo_upload_url != NULL && *self->photo_upload_url != '\0' &&
      self->photo_auth != NULL && g_strcmp0 (self->photo_auth, "none") != 0)
    load_secret (&self->photo_password, "photo-host", self->photo_upload_url, cancellable);

  if ((self->s3_secret_access_key == NULL || *self->s3_secret_access_key == '\0') &&
      ttd_config_photo_host_is_s3 (self))
    {
      g_autofree char *key = ttd_config_s3_secret_key (self);

      if (key != NULL)
        load_secret (&self->s3_secret_access_key, "s3-secret", key, cancellable);
    }
}

gboolean
ttd_config_has_credentials (const TtdConfig *self)
{
  return self->client_key != NULL && *self->client_key != '\0' &&
         self->client_secret != NULL && *self->client_secret != '\0';
}

gboolean
ttd_uri_is_loopback (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  const char *host;

  if (uri == NULL)
    return FALSE;

  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL || (host = g_uri_get_host (parsed)) == NULL)
    return FALSE;

  return g_str_equal (host, "127.0.0.1") ||
         g_str_equal (host, "localhost") ||
         g_str_equal (host, "::1") ||
         g_str_equal (host, "[::1]");
}

/**
 * ttd_check_base_uri:
 * @what: a short name of the setting, for the message
 *
 * A base URL must be absolute http(s), and https unless it points at this
 * machine: tokens and media must never cross a network in the clear.
 */
gboolean
ttd_check_base_uri (const char  *what,
                    const char  *uri,
                    GError     **error)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;

  if (uri == NULL || *uri == '\0')
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                   /* Translators: %s is an address such as “TikTok API address” (translated separately) */
                   _("The %s is not set."), what);
      return FALSE;
    }

  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL || g_uri_get_host (parsed) == NULL || *g_uri_get_host (parsed) == '\0')
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                   _("The %s “%s” is not a valid web address."), what, uri);
      return FALSE;
    }

  scheme = g_uri_get_scheme (parsed);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0 && ttd_uri_is_loopback (uri))
    return TRUE;

  g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
               /* Translators: short, it fits a toast; plain http is allowed on this computer only */
               _("The %s “%s” must use https."),
               what, uri);
  return FALSE;
}

/**
 * ttd_config_url_is_secure:
 *
 * Whether @url may carry tokens or media: the rule of
 * ttd_check_base_uri(), as a predicate for addresses a server sent.
 */
gboolean
ttd_config_url_is_secure (const char *url)
{
  return ttd_check_base_uri ("", url, NULL);
}

gboolean
ttd_config_validate (const TtdConfig  *self,
                     GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->client_key == NULL || *self->client_key == '\0')
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                   _("No TikTok client key is configured. Set it in Preferences or in %s."),
                   TTD_ENV_CLIENT_KEY);
      return FALSE;
    }

  if (self->client_secret == NULL || *self->client_secret == '\0')
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_CONFIG,
                   _("No TikTok client secret is configured. Set it in Preferences or in %s."),
                   TTD_ENV_CLIENT_SECRET);
      return FALSE;
    }

  return ttd_check_base_uri (_("TikTok API address"), self->api_base, error) &&
         ttd_check_base_uri (_("TikTok sign-in address"), self->auth_url, error);
}

/* Joins the API base and an absolute path, tolerating a trailing slash. */
char *
ttd_config_build_url (const TtdConfig *self,
                      const char      *path)
{
  gsize len = strlen (self->api_base);

  while (len > 0 && self->api_base[len - 1] == '/')
    len--;

  return g_strdup_printf ("%.*s%s", (int) len, self->api_base, path);
}
