/* ttd-video-upload-private.h — a video upload recorded in its queue item
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ttd-queue.h"
#include "ttd-video-upload.h"

G_BEGIN_DECLS

TtdUploadResult *_ttd_upload_video_item (TtdAccount            *account,
                                         GFile                 *file,
                                         TtdQueue              *queue,
                                         TtdQueueItem          *item,
                                         TtdUploadFlags         flags,
                                         TtdUploadProgressFunc  progress,
                                         gpointer               progress_data,
                                         GCancellable          *cancellable,
                                         GError               **error);

G_END_DECLS
