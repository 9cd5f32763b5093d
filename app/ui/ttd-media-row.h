/* ttd-media-row.h — a video draft in the queue
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ttd-upload-item.h"

G_BEGIN_DECLS

#define TTD_TYPE_MEDIA_ROW (ttd_media_row_get_type ())

G_DECLARE_FINAL_TYPE (TtdMediaRow, ttd_media_row, TTD, MEDIA_ROW, GtkListBoxRow)

GtkWidget     *ttd_media_row_new      (TtdUploadItem *item);
TtdUploadItem *ttd_media_row_get_item (TtdMediaRow   *self);

/* Shared with TtdSlideshowRow, which shows the same progress and status. */
void           _ttd_show_item_state   (TtdUploadItem *item,
                                       GtkProgressBar *progress,
                                       GtkLabel      *status,
                                       GtkStack      *state_stack,
                                       GtkWidget     *retry_button,
                                       GtkWidget     *remove_button);

G_END_DECLS
