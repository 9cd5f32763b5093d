/* ttd-photo-upload.h — photo slideshows to the drafts inbox
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ttd-account.h"
#include "ttd-upload.h"

G_BEGIN_DECLS

#define TTD_SLIDESHOW_MAX_IMAGES      35
#define TTD_SLIDESHOW_TITLE_MAX       90     /* UTF-16 code units */
#define TTD_SLIDESHOW_DESCRIPTION_MAX 4000   /* UTF-16 code units */

/**
 * TtdSlideshow:
 * @images: (element-type GFile): the pictures, in order
 * @title: (nullable): at most 90 UTF-16 code units
 * @description: (nullable): at most 4000 UTF-16 code units
 * @cover_index: 0-based index of the cover picture
 */
typedef struct
{
  GPtrArray *images;
  char      *title;
  char      *description;
  guint      cover_index;
} TtdSlideshow;

#define TTD_TYPE_SLIDESHOW (ttd_slideshow_get_type ())

GType            ttd_slideshow_get_type      (void) G_GNUC_CONST;
TtdSlideshow    *ttd_slideshow_new           (void);
TtdSlideshow    *ttd_slideshow_copy          (const TtdSlideshow *self);
void             ttd_slideshow_free          (TtdSlideshow       *self);
glong            ttd_utf16_length            (const char         *text);
gboolean         ttd_slideshow_check_limits  (const TtdSlideshow *self,
                                              GError            **error);
gboolean         ttd_slideshow_check         (const TtdSlideshow *self,
                                              GError            **error);
gboolean         ttd_photo_host_check        (const TtdConfig    *config,
                                              GError            **error);

TtdUploadResult *ttd_account_upload_slideshow        (TtdAccount            *account,
                                                      const TtdSlideshow    *slideshow,
                                                      TtdUploadFlags         flags,
                                                      TtdUploadProgressFunc  progress,
                                                      gpointer               progress_data,
                                                      GCancellable          *cancellable,
                                                      GError               **error);
void             ttd_account_upload_slideshow_async  (TtdAccount            *account,
                                                      const TtdSlideshow    *slideshow,
                                                      TtdUploadFlags         flags,
                                                      TtdUploadProgressFunc  progress,
                                                      gpointer               progress_data,
                                                      GDestroyNotify         progress_destroy,
                                                      GCancellable          *cancellable,
                                                      GAsyncReadyCallback    callback,
                                                      gpointer               user_data);
TtdUploadResult *ttd_account_upload_slideshow_finish (TtdAccount            *account,
                                                      GAsyncResult          *result,
                                                      GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtdSlideshow, ttd_slideshow_free)

G_END_DECLS
