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
 * Lets the TIKTOK_DRAFTS_* environment variables override what is set.
 * Call it after defaults and stored settings, before command-line options.
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
               _("The %s “%s” must use https, because only addresses on this computer may use plain http."),
               what, uri);
  return FALSE;
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
