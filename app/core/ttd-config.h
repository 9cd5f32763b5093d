/* ttd-config.h
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TTD_DEFAULT_API_BASE "https://open.tiktokapis.com"
#define TTD_DEFAULT_AUTH_URL "https://www.tiktok.com/v2/auth/authorize/"
#define TTD_SCOPES           "user.info.basic,video.upload"

#define TTD_ENV_CLIENT_KEY       "TIKTOK_DRAFTS_CLIENT_KEY"
#define TTD_ENV_CLIENT_SECRET    "TIKTOK_DRAFTS_CLIENT_SECRET"
#define TTD_ENV_API_BASE         "TIKTOK_DRAFTS_API_BASE"
#define TTD_ENV_AUTH_URL         "TIKTOK_DRAFTS_AUTH_URL"
#define TTD_ENV_PHOTO_UPLOAD_URL "TIKTOK_DRAFTS_PHOTO_UPLOAD_URL"
#define TTD_ENV_PHOTO_PUBLIC_URL "TIKTOK_DRAFTS_PHOTO_PUBLIC_URL"
#define TTD_ENV_PHOTO_AUTH       "TIKTOK_DRAFTS_PHOTO_AUTH"
#define TTD_ENV_PHOTO_USERNAME   "TIKTOK_DRAFTS_PHOTO_USERNAME"
#define TTD_ENV_PHOTO_PASSWORD   "TIKTOK_DRAFTS_PHOTO_PASSWORD"
#define TTD_ENV_DEMO             "TIKTOK_DRAFTS_DEMO"

/**
 * TtdConfig:
 *
 * Plain values the core needs. Front ends fill it from their own sources
 * (command-line options, GSettings, the keyring) and then let the
 * environment override, so the core never reads GSettings itself.
 */
typedef struct
{
  char *client_key;
  char *client_secret;
  char *api_base;
  char *auth_url;
  char *photo_upload_url;
  char *photo_public_url;
  char *photo_auth;          /* "none", "basic" or "bearer" */
  char *photo_username;
  char *photo_password;      /* password or bearer token; from the keyring */
  int   jpeg_quality;        /* 50–100; 0 means the default */
} TtdConfig;

#define TTD_TYPE_CONFIG (ttd_config_get_type ())

GType      ttd_config_get_type        (void) G_GNUC_CONST;
TtdConfig *ttd_config_new             (void);
TtdConfig *ttd_config_copy            (const TtdConfig *self);
void       ttd_config_free            (TtdConfig       *self);
void       ttd_config_apply_env       (TtdConfig       *self);
void       ttd_config_set             (char           **field,
                                       const char      *value);
gboolean   ttd_config_has_credentials (const TtdConfig *self);
gboolean   ttd_config_validate        (const TtdConfig *self,
                                       GError         **error);
char      *ttd_config_build_url       (const TtdConfig *self,
                                       const char      *path);
gboolean   ttd_uri_is_loopback        (const char      *uri);
gboolean   ttd_check_base_uri         (const char      *what,
                                       const char      *uri,
                                       GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtdConfig, ttd_config_free)

G_END_DECLS
