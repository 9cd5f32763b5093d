/* ttd-slideshow-row.h — the photo slideshow in the queue
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ttd-upload-item.h"

G_BEGIN_DECLS

#define TTD_TYPE_SLIDESHOW_ROW (ttd_slideshow_row_get_type ())

G_DECLARE_FINAL_TYPE (TtdSlideshowRow, ttd_slideshow_row, TTD, SLIDESHOW_ROW, GtkListBoxRow)

GtkWidget     *ttd_slideshow_row_new      (TtdUploadItem   *slideshow);
TtdUploadItem *ttd_slideshow_row_get_item (TtdSlideshowRow *self);

G_END_DECLS
