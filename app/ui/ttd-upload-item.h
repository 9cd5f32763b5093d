/* ttd-upload-item.h — one thing to send: a video draft, a slideshow, or one of its pictures
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ttd-queue.h"
#include "ttd-core-enums.h"
#include "ttd-ui-enums.h"

G_BEGIN_DECLS

typedef enum
{
  TTD_UPLOAD_ITEM_VIDEO,
  TTD_UPLOAD_ITEM_SLIDESHOW,
  TTD_UPLOAD_ITEM_IMAGE,      /* a picture inside a slideshow */
} TtdUploadItemKind;

#define TTD_TYPE_UPLOAD_ITEM (ttd_upload_item_get_type ())

G_DECLARE_FINAL_TYPE (TtdUploadItem, ttd_upload_item, TTD, UPLOAD_ITEM, GObject)

TtdUploadItem     *ttd_upload_item_new_video        (GFile          *file,
                                                     gint64          size);
TtdUploadItem     *ttd_upload_item_new_image        (GFile          *file,
                                                     gint64          size);
TtdUploadItem     *ttd_upload_item_new_slideshow    (void);

TtdUploadItemKind  ttd_upload_item_get_kind         (TtdUploadItem  *self);
GFile             *ttd_upload_item_get_file         (TtdUploadItem  *self);
const char        *ttd_upload_item_get_display_name (TtdUploadItem  *self);
gint64             ttd_upload_item_get_size         (TtdUploadItem  *self);
GListStore        *ttd_upload_item_get_images       (TtdUploadItem  *self);

TtdQueueState      ttd_upload_item_get_state        (TtdUploadItem  *self);
void               ttd_upload_item_set_state        (TtdUploadItem  *self,
                                                     TtdQueueState   state);
double             ttd_upload_item_get_fraction     (TtdUploadItem  *self);
void               ttd_upload_item_set_fraction     (TtdUploadItem  *self,
                                                     double          fraction);
const char        *ttd_upload_item_get_status       (TtdUploadItem  *self);
void               ttd_upload_item_set_status       (TtdUploadItem  *self,
                                                     const char     *status);
gint64             ttd_upload_item_get_next_try_at  (TtdUploadItem  *self);
void               ttd_upload_item_set_next_try_at  (TtdUploadItem  *self,
                                                     gint64          next_try_at);
const char        *ttd_upload_item_get_error        (TtdUploadItem  *self);
const char        *ttd_upload_item_get_open_id      (TtdUploadItem  *self);
const char        *ttd_upload_item_get_account_name (TtdUploadItem  *self);
void               ttd_upload_item_set_account_name (TtdUploadItem  *self,
                                                     const char     *account_name);
void               ttd_upload_item_set_open_id      (TtdUploadItem  *self,
                                                     const char     *open_id);
void               ttd_upload_item_fail             (TtdUploadItem  *self,
                                                     const char     *message);
const char        *ttd_upload_item_get_publish_id   (TtdUploadItem  *self);
void               ttd_upload_item_set_publish_id   (TtdUploadItem  *self,
                                                     const char     *publish_id);

GdkPaintable      *ttd_upload_item_get_thumbnail    (TtdUploadItem  *self);
void               ttd_upload_item_set_thumbnail    (TtdUploadItem  *self,
                                                     GdkPaintable   *thumbnail);
gint64             ttd_upload_item_get_duration_ms  (TtdUploadItem  *self);
void               ttd_upload_item_set_duration_ms  (TtdUploadItem  *self,
                                                     gint64          duration_ms);
const char        *ttd_upload_item_get_problem      (TtdUploadItem  *self);
void               ttd_upload_item_set_problem      (TtdUploadItem  *self,
                                                     const char     *problem);

const char        *ttd_upload_item_get_title        (TtdUploadItem  *self);
void               ttd_upload_item_set_title        (TtdUploadItem  *self,
                                                     const char     *title);
const char        *ttd_upload_item_get_description  (TtdUploadItem  *self);
void               ttd_upload_item_set_description  (TtdUploadItem  *self,
                                                     const char     *description);
guint              ttd_upload_item_get_cover_index  (TtdUploadItem  *self);
void               ttd_upload_item_set_cover_index  (TtdUploadItem  *self,
                                                     guint           cover_index);
gint64             ttd_upload_item_get_total_size   (TtdUploadItem  *self);
gboolean           ttd_upload_item_is_busy          (TtdUploadItem  *self);
gboolean           ttd_upload_item_is_sendable      (TtdUploadItem  *self);

char              *ttd_format_duration              (gint64          duration_ms);

G_END_DECLS
