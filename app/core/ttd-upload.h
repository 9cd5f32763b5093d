/* ttd-upload.h — what every upload (video, slideshow, queue item) shares
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ttd-account.h"
#include "ttd-chunk-plan.h"

G_BEGIN_DECLS

/**
 * TtdUploadPhase:
 * @TTD_UPLOAD_PHASE_CHECKING: validating the file(s)
 * @TTD_UPLOAD_PHASE_CONVERTING: photos only: making JPEGs (progress counts images)
 * @TTD_UPLOAD_PHASE_HOSTING: photos only: putting JPEGs on the photo host (counts bytes)
 * @TTD_UPLOAD_PHASE_STARTING: asking TikTok for an upload
 * @TTD_UPLOAD_PHASE_SENDING: videos only: sending chunks (counts bytes)
 * @TTD_UPLOAD_PHASE_PROCESSING: waiting for TikTok (status in @status)
 * @TTD_UPLOAD_PHASE_DONE: finished
 */
typedef enum
{
  TTD_UPLOAD_PHASE_CHECKING,
  TTD_UPLOAD_PHASE_CONVERTING,
  TTD_UPLOAD_PHASE_HOSTING,
  TTD_UPLOAD_PHASE_STARTING,
  TTD_UPLOAD_PHASE_SENDING,
  TTD_UPLOAD_PHASE_PROCESSING,
  TTD_UPLOAD_PHASE_DONE,
} TtdUploadPhase;

/**
 * TtdUploadProgress:
 * @bytes_sent: work done in this phase (bytes, or images while converting)
 * @bytes_total: work in this phase, same unit
 */
typedef struct
{
  TtdUploadPhase  phase;
  gint64          bytes_sent;
  gint64          bytes_total;
  const char     *publish_id;
  const char     *status;
} TtdUploadProgress;

typedef void (*TtdUploadProgressFunc) (const TtdUploadProgress *progress,
                                       gpointer                 user_data);

/* TikTok keeps an upload URL for an hour (tiktok-api.md §5.1). */
#define TTD_UPLOAD_URL_LIFETIME 3600

/**
 * TtdUploadFlags:
 * @TTD_UPLOAD_FLAGS_WAIT: poll until TikTok has the draft
 * @TTD_UPLOAD_FLAGS_DUE_ONLY: queue items only: leave an item TikTok held
 *   back alone until its next try (and one that would start an upload while
 *   TikTok holds back another); it fails with %TTD_WAIT_ERROR then. For the
 *   retries a program makes by itself; what the user asks for goes at once.
 */
typedef enum
{
  TTD_UPLOAD_FLAGS_NONE     = 0,
  TTD_UPLOAD_FLAGS_WAIT     = 1 << 0,
  TTD_UPLOAD_FLAGS_DUE_ONLY = 1 << 1,
} TtdUploadFlags;

/**
 * TtdUploadResult:
 * @publish_id: TikTok's ID for the draft
 * @status: TikTok's last status string; %NULL when not waited for
 * @fail_reason: TikTok's `fail_reason` when @status is FAILED
 */
typedef struct
{
  char         *publish_id;
  char         *status;
  char         *fail_reason;
  TtdChunkPlan  plan;
} TtdUploadResult;

#define TTD_TYPE_UPLOAD_RESULT (ttd_upload_result_get_type ())

GType             ttd_upload_result_get_type    (void) G_GNUC_CONST;
TtdUploadResult  *ttd_upload_result_copy        (const TtdUploadResult *self);
void              ttd_upload_result_free        (TtdUploadResult       *self);
gboolean          ttd_upload_result_succeeded   (const TtdUploadResult *self);

TtdPublishStatus *ttd_account_wait_for_publish  (TtdAccount            *account,
                                                 const char            *publish_id,
                                                 TtdUploadProgressFunc  progress,
                                                 gpointer               progress_data,
                                                 GCancellable          *cancellable,
                                                 GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtdUploadResult, ttd_upload_result_free)

G_END_DECLS
