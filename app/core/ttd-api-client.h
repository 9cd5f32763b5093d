/* ttd-api-client.h
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "ttd-config.h"
#include "ttd-tokens.h"

G_BEGIN_DECLS

/**
 * TtdUserInfo:
 *
 * What `/v2/user/info/` tells about the signed-in account.
 */
typedef struct
{
  char *open_id;
  char *union_id;
  char *display_name;
  char *avatar_url;
} TtdUserInfo;

/**
 * TtdPublishStatus:
 *
 * One answer of `/v2/post/publish/status/fetch/`.
 */
typedef struct
{
  char   *status;
  char   *fail_reason;
  gint64  uploaded_bytes;
  gint64  downloaded_bytes;
} TtdPublishStatus;

#define TTD_STATUS_PROCESSING_UPLOAD   "PROCESSING_UPLOAD"
#define TTD_STATUS_PROCESSING_DOWNLOAD "PROCESSING_DOWNLOAD"
#define TTD_STATUS_SEND_TO_USER_INBOX  "SEND_TO_USER_INBOX"
#define TTD_STATUS_PUBLISH_COMPLETE    "PUBLISH_COMPLETE"
#define TTD_STATUS_FAILED              "FAILED"

#define TTD_TYPE_USER_INFO      (ttd_user_info_get_type ())
#define TTD_TYPE_PUBLISH_STATUS (ttd_publish_status_get_type ())
#define TTD_TYPE_API_CLIENT     (ttd_api_client_get_type ())

GType             ttd_user_info_get_type       (void) G_GNUC_CONST;
TtdUserInfo      *ttd_user_info_copy           (const TtdUserInfo *self);
void              ttd_user_info_free           (TtdUserInfo       *self);
GType             ttd_publish_status_get_type  (void) G_GNUC_CONST;
TtdPublishStatus *ttd_publish_status_copy      (const TtdPublishStatus *self);
void              ttd_publish_status_free      (TtdPublishStatus *self);
gboolean          ttd_publish_status_is_final  (const TtdPublishStatus *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtdUserInfo, ttd_user_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtdPublishStatus, ttd_publish_status_free)

G_DECLARE_FINAL_TYPE (TtdApiClient, ttd_api_client, TTD, API_CLIENT, GObject)

TtdApiClient     *ttd_api_client_new               (const TtdConfig  *config);
const TtdConfig  *ttd_api_client_get_config        (TtdApiClient     *self);
SoupSession      *ttd_api_client_get_session       (TtdApiClient     *self);

/* Response parsers; pure, so they can be unit-tested and fuzzed. */
JsonObject       *ttd_api_parse_envelope           (guint             http_status,
                                                    GBytes           *body,
                                                    GError          **error);
JsonObject       *ttd_api_parse_oauth              (guint             http_status,
                                                    GBytes           *body,
                                                    GError          **error);
TtdUserInfo      *ttd_api_parse_user_info          (JsonObject       *data,
                                                    GError          **error);
TtdPublishStatus *ttd_api_parse_publish_status     (JsonObject       *data,
                                                    GError          **error);
void              ttd_api_set_network_error        (GError          **error,
                                                    GError           *cause);

/* Blocking calls: run them in a worker thread (libsoup ≥ 3.2 lets any
 * thread send on one session), or from the CLI. */
TtdTokens        *ttd_api_client_exchange_code     (TtdApiClient     *self,
                                                    const char       *code,
                                                    const char       *redirect_uri,
                                                    const char       *code_verifier,
                                                    GCancellable     *cancellable,
                                                    GError          **error);
TtdTokens        *ttd_api_client_refresh           (TtdApiClient     *self,
                                                    const char       *refresh_token,
                                                    GCancellable     *cancellable,
                                                    GError          **error);
gboolean          ttd_api_client_revoke            (TtdApiClient     *self,
                                                    const char       *access_token,
                                                    GCancellable     *cancellable,
                                                    GError          **error);
TtdUserInfo      *ttd_api_client_fetch_user_info   (TtdApiClient     *self,
                                                    const char       *access_token,
                                                    GCancellable     *cancellable,
                                                    GError          **error);
gboolean          ttd_api_client_init_inbox_video  (TtdApiClient     *self,
                                                    const char       *access_token,
                                                    gint64            video_size,
                                                    gint64            chunk_size,
                                                    gint64            total_chunk_count,
                                                    char            **publish_id,
                                                    char            **upload_url,
                                                    GCancellable     *cancellable,
                                                    GError          **error);
char             *ttd_api_client_init_photo_draft  (TtdApiClient     *self,
                                                    const char       *access_token,
                                                    const char       *title,
                                                    const char       *description,
                                                    const char * const *image_urls,
                                                    guint             cover_index,
                                                    GCancellable     *cancellable,
                                                    GError          **error);
TtdPublishStatus *ttd_api_client_fetch_status      (TtdApiClient     *self,
                                                    const char       *access_token,
                                                    const char       *publish_id,
                                                    GCancellable     *cancellable,
                                                    GError          **error);

G_END_DECLS
