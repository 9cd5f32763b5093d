/* ttd-config.h
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

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
#define TTD_ENV_PHOTO_HOST       "TIKTOK_DRAFTS_PHOTO_HOST"   /* "webdav" or "s3" */
#define TTD_ENV_S3_ENDPOINT      "TIKTOK_DRAFTS_S3_ENDPOINT"
#define TTD_ENV_S3_BUCKET        "TIKTOK_DRAFTS_S3_BUCKET"
#define TTD_ENV_S3_REGION        "TIKTOK_DRAFTS_S3_REGION"
#define TTD_ENV_S3_PREFIX        "TIKTOK_DRAFTS_S3_PREFIX"
#define TTD_ENV_S3_ADDRESSING    "TIKTOK_DRAFTS_S3_ADDRESSING" /* "auto", "path" or "virtual" */
#define TTD_ENV_S3_ACCESS_KEY_ID "TIKTOK_DRAFTS_S3_ACCESS_KEY_ID"
#define TTD_ENV_S3_SECRET_ACCESS_KEY "TIKTOK_DRAFTS_S3_SECRET_ACCESS_KEY"
#define TTD_ENV_S3_SESSION_TOKEN "TIKTOK_DRAFTS_S3_SESSION_TOKEN"

#define TTD_PHOTO_HOST_WEBDAV "webdav"
#define TTD_PHOTO_HOST_S3     "s3"

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
  char *photo_host_type;     /* TTD_PHOTO_HOST_WEBDAV (NULL means it) or _S3 */
  char *s3_endpoint;         /* e.g. https://<account>.r2.cloudflarestorage.com */
  char *s3_bucket;
  char *s3_region;           /* NULL means "auto" */
  char *s3_prefix;           /* key prefix, e.g. "tiktok/"; may be NULL */
  char *s3_addressing;       /* "auto" (NULL), "path" or "virtual" */
  char *s3_access_key_id;
  char *s3_secret_access_key; /* from the keyring or the environment */
  char *s3_session_token;    /* optional, environment only */
  int   jpeg_quality;        /* 50–100; 0 means the default */
} TtdConfig;

#define TTD_TYPE_CONFIG (ttd_config_get_type ())

GType      ttd_config_get_type        (void) G_GNUC_CONST;
TtdConfig *ttd_config_new             (void);
TtdConfig *ttd_config_copy            (const TtdConfig *self);
void       ttd_config_free            (TtdConfig       *self);
void       ttd_config_apply_env       (TtdConfig       *self);
void       ttd_config_load_secrets    (TtdConfig       *self,
                                       GCancellable    *cancellable);
void       ttd_config_set             (char           **field,
                                       const char      *value);
gboolean   ttd_config_has_credentials (const TtdConfig *self);
gboolean   ttd_config_photo_host_is_s3 (const TtdConfig *self);
gboolean   ttd_config_photo_host_configured (const TtdConfig *self);
char      *ttd_config_s3_secret_key   (const TtdConfig *self);
gboolean   ttd_config_validate        (const TtdConfig *self,
                                       GError         **error);
char      *ttd_config_build_url       (const TtdConfig *self,
                                       const char      *path);
gboolean   ttd_uri_is_loopback        (const char      *uri);
gboolean   ttd_config_url_is_secure   (const char      *url);
gboolean   ttd_check_base_uri         (const char      *what,
                                       const char      *uri,
                                       GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtdConfig, ttd_config_free)

G_END_DECLS
