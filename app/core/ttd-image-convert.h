/* ttd-image-convert.h — any picture to a TikTok-ready JPEG
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

#define TTD_PHOTO_SHORT_SIDE_MAX   1080
#define TTD_PHOTO_LONG_SIDE_MAX    1920
#define TTD_PHOTO_BYTES_MAX        ((gsize) 20000000)
#define TTD_JPEG_QUALITY_DEFAULT   90
#define TTD_IMAGE_PIXELS_MAX       ((gint64) 120000000)  /* 120 MP: larger than any phone camera */
#define TTD_IMAGE_SIDE_MAX         30000
#define TTD_IMAGE_FILE_BYTES_MAX   ((gint64) 256 * 1024 * 1024)

typedef struct
{
  GBytes *jpeg;
  int     width;
  int     height;
} TtdConvertedImage;

/* Says whether a picture of @width × @height is decoded (%FALSE and
 * @error if not) and at what size; called before any pixel is decoded. */
typedef gboolean (*TtdImageSizeFunc) (int       width,
                                      int       height,
                                      int      *scaled_width,
                                      int      *scaled_height,
                                      gpointer  user_data,
                                      GError  **error);

GdkPixbuf         *ttd_image_decode           (GInputStream      *stream,
                                               const char        *name,
                                               gint64             max_bytes,
                                               TtdImageSizeFunc   size_func,
                                               gpointer           user_data,
                                               GCancellable      *cancellable,
                                               GError           **error);
void               ttd_converted_image_free   (TtdConvertedImage *self);
void               ttd_photo_fit_size         (int                width,
                                               int                height,
                                               int               *fit_width,
                                               int               *fit_height);
TtdConvertedImage *ttd_image_convert_to_jpeg  (GFile             *file,
                                               int                quality,
                                               GCancellable      *cancellable,
                                               GError           **error);
GPtrArray         *ttd_image_convert_many     (GPtrArray         *files,
                                               int                quality,
                                               void             (*done) (guint index, gpointer data),
                                               gpointer           data,
                                               GCancellable      *cancellable,
                                               GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtdConvertedImage, ttd_converted_image_free)

G_END_DECLS
