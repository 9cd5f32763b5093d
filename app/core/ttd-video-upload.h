/* ttd-video-upload.h — one video to the drafts inbox, streamed in chunks
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "ttd-account.h"
#include "ttd-upload.h"

G_BEGIN_DECLS

TtdUploadResult  *ttd_account_upload_video        (TtdAccount            *account,
                                                   GFile                 *file,
                                                   TtdUploadFlags         flags,
                                                   TtdUploadProgressFunc  progress,
                                                   gpointer               progress_data,
                                                   GCancellable          *cancellable,
                                                   GError               **error);
void              ttd_account_upload_video_async  (TtdAccount            *account,
                                                   GFile                 *file,
                                                   TtdUploadFlags         flags,
                                                   TtdUploadProgressFunc  progress,
                                                   gpointer               progress_data,
                                                   GDestroyNotify         progress_destroy,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
TtdUploadResult  *ttd_account_upload_video_finish (TtdAccount            *account,
                                                   GAsyncResult          *result,
                                                   GError               **error);
gboolean          ttd_video_upload_parse_received (SoupMessageHeaders    *headers,
                                                   gint64                 video_size,
                                                   gint64                *received,
                                                   GError               **error);

G_END_DECLS
