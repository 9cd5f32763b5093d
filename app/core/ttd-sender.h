/* ttd-sender.h — sends queue items, recording every step in the queue
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ttd-account.h"
#include "ttd-queue.h"
#include "ttd-upload.h"

G_BEGIN_DECLS

TtdUploadResult *ttd_account_send_queue_item           (TtdAccount            *account,
                                                        TtdQueue              *queue,
                                                        const char            *item_id,
                                                        TtdUploadFlags         flags,
                                                        TtdUploadProgressFunc  progress,
                                                        gpointer               progress_data,
                                                        GCancellable          *cancellable,
                                                        GError               **error);
void             ttd_account_send_queue_item_async     (TtdAccount            *account,
                                                        TtdQueue              *queue,
                                                        const char            *item_id,
                                                        TtdUploadFlags         flags,
                                                        TtdUploadProgressFunc  progress,
                                                        gpointer               progress_data,
                                                        GDestroyNotify         progress_destroy,
                                                        GCancellable          *cancellable,
                                                        GAsyncReadyCallback    callback,
                                                        gpointer               user_data);
void             ttd_account_send_queue_snapshot_async (TtdAccount            *account,
                                                        TtdQueue              *queue,
                                                        const TtdQueueItem    *snapshot,
                                                        TtdUploadFlags         flags,
                                                        TtdUploadProgressFunc  progress,
                                                        gpointer               progress_data,
                                                        GDestroyNotify         progress_destroy,
                                                        GCancellable          *cancellable,
                                                        GAsyncReadyCallback    callback,
                                                        gpointer               user_data);
TtdUploadResult *ttd_account_send_queue_item_finish    (TtdAccount            *account,
                                                        GAsyncResult          *result,
                                                        GError               **error);
TtdQueueItem    *ttd_queue_add_video         (TtdQueue              *queue,
                                              GFile                 *file,
                                              const char            *open_id,
                                              GError               **error);

G_END_DECLS
