/* ttd-upload-private.h — the runner the video, slideshow and queue uploads share
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ttd-upload.h"

G_BEGIN_DECLS

typedef TtdUploadResult *(*TtdUploadRunFunc) (TtdAccount            *account,
                                              gpointer               job,
                                              TtdUploadFlags         flags,
                                              TtdUploadProgressFunc  progress,
                                              gpointer               progress_data,
                                              GCancellable          *cancellable,
                                              GError               **error);

void             _ttd_upload_run_async  (TtdAccount            *account,
                                         TtdUploadRunFunc       run,
                                         gpointer               job,
                                         GDestroyNotify         job_free,
                                         TtdUploadFlags         flags,
                                         TtdUploadProgressFunc  progress,
                                         gpointer               progress_data,
                                         GDestroyNotify         progress_destroy,
                                         GCancellable          *cancellable,
                                         GAsyncReadyCallback    callback,
                                         gpointer               user_data,
                                         gpointer               source_tag);
TtdUploadResult *_ttd_upload_run_finish (TtdAccount            *account,
                                         GAsyncResult          *result,
                                         gpointer               source_tag,
                                         GError               **error);
gboolean         _ttd_upload_result_wait (TtdUploadResult       *self,
                                          TtdAccount            *account,
                                          TtdUploadProgressFunc  progress,
                                          gpointer               progress_data,
                                          GCancellable          *cancellable,
                                          GError               **error);

G_END_DECLS
