/* ttd-image-convert.c
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "ttd-cancellable.h"
#include "ttd-error.h"
#include "ttd-image-convert.h"
#include "ttd-media.h"
#include "ttd-pixel-budget.h"

#define READ_BLOCK (64 * 1024)

/* TikTok takes photos as JPEG or WebP, at most 1080p and 20 MB
 * (tiktok-api.md §6). Everything becomes a baseline JPEG: orientation
 * applied, short side ≤ 1080 and long side ≤ 1920, alpha flattened onto
 * white, no metadata at all (gdk-pixbuf's JPEG writer copies none). */

static const char *accepted_formats[] = { "jpeg", "png", "webp", "gif", "bmp", "tiff" };

void
ttd_converted_image_free (TtdConvertedImage *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->jpeg, g_bytes_unref);
  g_free (self);
}

/* Keeps the aspect ratio; never enlarges. */
void
ttd_photo_fit_size (int  width,
                    int  height,
                    int *fit_width,
                    int *fit_height)
{
  double short_side = MIN (width, height);
  double long_side = MAX (width, height);
  double scale = MIN (1.0, MIN (TTD_PHOTO_SHORT_SIDE_MAX / short_side,
                                TTD_PHOTO_LONG_SIDE_MAX / long_side));

  *fit_width = MAX (1, (int) floor (width * scale + 0.5));
  *fit_height = MAX (1, (int) floor (height * scale + 0.5));

  /* Rounding must not push a side over its limit. */
  if (MIN (*fit_width, *fit_height) > TTD_PHOTO_SHORT_SIDE_MAX ||
      MAX (*fit_width, *fit_height) > TTD_PHOTO_LONG_SIDE_MAX)
    {
      *fit_width = MAX (1, (int) floor (width * scale));
      *fit_height = MAX (1, (int) floor (height * scale));
    }
}

/* The pixbuf loader for what the first bytes say the file is, if that is
 * a picture we take: the content is sniffed first (as ttd-media does), so
 * no other loader (TGA, XPM, ICO, SVG… named .jpg) ever parses it. */
static GdkPixbufLoader *
loader_for_content (const guint8  *head,
                    gsize          length,
                    const char    *name,
                    GError       **error)
{
  g_autofree char *content_type = g_content_type_guess (NULL, head, length, NULL);
  g_autofree char *description = NULL;
  GSList *formats;

  if (ttd_media_kind_for_content_type (content_type) == TTD_MEDIA_KIND_IMAGE)
    {
      formats = gdk_pixbuf_get_formats ();
      for (GSList *l = formats; l != NULL; l = l->next)
        {
          g_autofree char *format_name = gdk_pixbuf_format_get_name (l->data);
          g_auto(GStrv) mime_types = gdk_pixbuf_format_get_mime_types (l->data);

          if (!g_strv_contains (accepted_formats, format_name))
            continue;

          for (guint i = 0; mime_types != NULL && mime_types[i] != NULL; i++)
            if (g_content_type_equals (content_type, mime_types[i]))
              {
                GdkPixbufLoader *loader = gdk_pixbuf_loader_new_with_mime_type (mime_types[i], NULL);

                if (loader != NULL)
                  {
                    g_slist_free (formats);
                    return loader;
                  }
              }
        }
      g_slist_free (formats);
    }

  description = content_type ? g_content_type_get_description (content_type) : g_strdup ("?");
  g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
               _("“%s” is in a picture format TikTok Drafts does not convert (%s). Use JPEG, PNG or WebP."),
               name, description);
  return NULL;
}

typedef struct
{
  const char       *name;
  TtdImageSizeFunc  size_func;
  gpointer          user_data;
  GCancellable     *cancellable;
  GError           *error;
  gint64            pixels;      /* taken from the pixel budget */
  gboolean          refused;
} Decode;

/* Runs once the header is parsed, before any pixel is decoded: the place
 * to refuse decoder bombs, to wait for room in the pixel budget, and to
 * ask the loader for the final size (the JPEG loader then decodes at
 * reduced scale, which is also much faster). */
static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  Decode          *decode)
{
  int scaled_width = width;
  int scaled_height = height;

  if (!decode->size_func (width, height, &scaled_width, &scaled_height, decode->user_data, &decode->error) ||
      !ttd_pixel_budget_acquire (ttd_pixel_budget_get_default (), (gint64) width * height,
                                 decode->cancellable, &decode->error))
    {
      decode->refused = TRUE;
      /* 0 × 0 tells loaders not to allocate anything. */
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }

  decode->pixels = (gint64) width * height;
  if (scaled_width != width || scaled_height != height)
    gdk_pixbuf_loader_set_size (loader, scaled_width, scaled_height);
}

/**
 * ttd_image_decode:
 * @name: the picture's name, for messages
 * @max_bytes: refuse a stream longer than this, or 0
 * @size_func: says whether a picture of that size is decoded, and at what size
 *
 * Decodes a picture of a type TikTok takes, judged by its content, within
 * the pixel budget every decoder shares. Blocks: run it in a worker thread.
 *
 * Returns: (transfer full): the picture, as the loader gave it.
 */
GdkPixbuf *
ttd_image_decode (GInputStream      *stream,
                  const char        *name,
                  gint64             max_bytes,
                  TtdImageSizeFunc   size_func,
                  gpointer           user_data,
                  GCancellable      *cancellable,
                  GError           **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree guint8 *buffer = g_malloc (READ_BLOCK);
  Decode decode = { name, size_func, user_data, cancellable, NULL, 0, FALSE };
  GdkPixbuf *pixbuf = NULL;
  gint64 total = 0;
  gsize first = 0;
  gssize n;

  if (!g_input_stream_read_all (stream, buffer, READ_BLOCK, &first, cancellable, &local_error))
    goto read_failed;
  if (first == 0)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE, _("“%s” is empty."), name);
      return NULL;
    }

  loader = loader_for_content (buffer, first, name, error);
  if (loader == NULL)
    return NULL;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &decode);

  for (n = first; n > 0; n = g_input_stream_read (stream, buffer, READ_BLOCK, cancellable, &local_error))
    {
      total += n;
      if (max_bytes > 0 && total > max_bytes)
        {
          decode.refused = TRUE;
          g_set_error (&decode.error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                       _("“%s” is too large to be a photo."), name);
          break;
        }

      if (!gdk_pixbuf_loader_write (loader, buffer, n, decode.refused ? NULL : &local_error) ||
          decode.refused)
        break;
    }

  gdk_pixbuf_loader_close (loader, local_error || decode.refused ? NULL : &local_error);
  if (!decode.refused && local_error == NULL && gdk_pixbuf_loader_get_pixbuf (loader) != NULL)
    pixbuf = g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));

  /* The loader's buffers go before the pixels are given back. */
  g_clear_object (&loader);
  if (decode.pixels > 0)
    ttd_pixel_budget_release (ttd_pixel_budget_get_default (), decode.pixels);

  if (decode.refused)
    {
      g_propagate_error (error, decode.error);
      return NULL;
    }

read_failed:
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      g_clear_object (&pixbuf);
      return NULL;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_clear_object (&pixbuf);
      return NULL;
    }

  if (pixbuf == NULL)
    g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                 _("“%s” could not be read as a picture (%s). It may be damaged or in an unsupported format."),
                 name, local_error ? local_error->message : _("no image data"));

  return pixbuf;
}

/* The conversion's limits: refuse decoder bombs, decode at the size sent. */
static gboolean
photo_size (int       width,
            int       height,
            int      *scaled_width,
            int      *scaled_height,
            gpointer  user_data,
            GError  **error)
{
  const char *name = user_data;

  if (width <= 0 || height <= 0 ||
      width > TTD_IMAGE_SIDE_MAX || height > TTD_IMAGE_SIDE_MAX ||
      (gint64) width * height > TTD_IMAGE_PIXELS_MAX)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                   _("“%s” claims to be %d × %d pixels, which is too large to be a real photo (the limit is 120 megapixels). It was not opened."),
                   name, width, height);
      return FALSE;
    }

  ttd_photo_fit_size (width, height, scaled_width, scaled_height);
  return TRUE;
}

static GdkPixbuf *
load_scaled (GFile         *file,
             const char    *name,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFileInfo) info = NULL;

  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                     _("“%s” no longer exists. It may have been moved or deleted."), name);
      else
        g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                     _("“%s” could not be read (%s)."), name, local_error->message);
      return NULL;
    }

  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);
  if (info != NULL && g_file_info_get_size (info) > TTD_IMAGE_FILE_BYTES_MAX)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                   _("“%s” is larger than 256 MB, too large to be a photo."), name);
      return NULL;
    }

  return ttd_image_decode (G_INPUT_STREAM (stream), name, TTD_IMAGE_FILE_BYTES_MAX, photo_size,
                           (gpointer) name, cancellable, error);
}

static GdkPixbuf *
flatten_on_white (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  GdkPixbuf *flat;

  if (!gdk_pixbuf_get_has_alpha (pixbuf))
    return g_object_ref (pixbuf);

  flat = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  gdk_pixbuf_fill (flat, 0xffffffff);
  gdk_pixbuf_composite (pixbuf, flat, 0, 0, width, height, 0, 0, 1, 1, GDK_INTERP_NEAREST, 255);

  return flat;
}

/**
 * ttd_image_convert_to_jpeg:
 * @quality: JPEG quality 50–100, or 0 for the default
 *
 * Blocks; run it in a worker thread.
 *
 * Returns: (transfer full): the JPEG and its size in pixels.
 */
TtdConvertedImage *
ttd_image_convert_to_jpeg (GFile         *file,
                           int            quality,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autofree char *name = ttd_media_dup_display_name (file);
  g_autoptr(GdkPixbuf) loaded = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GdkPixbuf) fitted = NULL;
  g_autoptr(GdkPixbuf) flat = NULL;
  TtdConvertedImage *result;
  int width;
  int height;

  if (quality <= 0)
    quality = TTD_JPEG_QUALITY_DEFAULT;
  quality = CLAMP (quality, 50, 100);

  loaded = load_scaled (file, name, cancellable, error);
  if (loaded == NULL)
    return NULL;

  /* The loader scaled in the file's own orientation; the limits are the
   * same either way round, so rotating afterwards keeps them. */
  oriented = gdk_pixbuf_apply_embedded_orientation (loaded);

  /* Loaders that cannot scale while decoding (or animations) may hand back
   * the full size: make sure. */
  ttd_photo_fit_size (gdk_pixbuf_get_width (oriented), gdk_pixbuf_get_height (oriented),
                      &width, &height);
  if (width != gdk_pixbuf_get_width (oriented) || height != gdk_pixbuf_get_height (oriented))
    fitted = gdk_pixbuf_scale_simple (oriented, width, height, GDK_INTERP_HYPER);
  else
    fitted = g_object_ref (oriented);

  flat = flatten_on_white (fitted);

  for (;;)
    {
      g_autoptr(GError) save_error = NULL;
      g_autofree char *quality_text = g_strdup_printf ("%d", quality);
      char *keys[] = { (char *) "quality", NULL };
      char *values[] = { quality_text, NULL };
      char *buffer = NULL;
      gsize size = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      if (!gdk_pixbuf_save_to_bufferv (flat, &buffer, &size, "jpeg", keys, values, &save_error))
        {
          g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                       _("“%s” could not be converted to JPEG (%s)."), name, save_error->message);
          return NULL;
        }

      /* 1080p JPEGs are far below 20 MB; lower the quality if not. */
      if (size <= TTD_PHOTO_BYTES_MAX || quality <= 50)
        {
          if (size > TTD_PHOTO_BYTES_MAX)
            {
              g_free (buffer);
              g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                           _("“%s” stays larger than 20 MB as a JPEG, TikTok's limit for a photo."), name);
              return NULL;
            }

          result = g_new0 (TtdConvertedImage, 1);
          result->jpeg = g_bytes_new_take (buffer, size);
          result->width = gdk_pixbuf_get_width (flat);
          result->height = gdk_pixbuf_get_height (flat);
          return result;
        }

      g_free (buffer);
      quality = MAX (50, quality - 10);
    }
}

typedef struct
{
  GPtrArray    *files;
  GPtrArray    *results;
  int           quality;
  GCancellable *cancellable;
  GMutex        lock;
  GCond         cond;
  guint         pending;
  GError       *error;
  void        (*done) (guint index, gpointer data);
  gpointer      done_data;
} Batch;

static void
convert_one (gpointer item,
             gpointer user_data)
{
  Batch *batch = user_data;
  guint index = GPOINTER_TO_UINT (item) - 1;
  GError *error = NULL;
  TtdConvertedImage *image = NULL;

  if (!g_cancellable_is_cancelled (batch->cancellable))
    image = ttd_image_convert_to_jpeg (g_ptr_array_index (batch->files, index), batch->quality,
                                       batch->cancellable, &error);

  g_mutex_lock (&batch->lock);
  if (image != NULL)
    g_ptr_array_index (batch->results, index) = image;
  else if (error != NULL && batch->error == NULL)
    {
      batch->error = error;
      error = NULL;
      /* One bad picture stops the rest of this send; the slideshow itself
       * (the list of files) is kept by the caller. */
      g_cancellable_cancel (batch->cancellable);
    }
  g_clear_error (&error);
  batch->pending--;
  if (image != NULL && batch->done != NULL)
    batch->done (index, batch->done_data);
  g_cond_signal (&batch->cond);
  g_mutex_unlock (&batch->lock);
}

/**
 * ttd_image_convert_many:
 * @files: (element-type GFile)
 * @done: (nullable): called (from a worker) as each picture is ready
 *
 * Converts several pictures at once, one per processor.
 *
 * Returns: (transfer full) (element-type TtdConvertedImage): the JPEGs, in
 *   the order of @files.
 */
GPtrArray *
ttd_image_convert_many (GPtrArray     *files,
                        int            quality,
                        void         (*done) (guint index, gpointer data),
                        gpointer       data,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GCancellable) batch_cancellable = g_cancellable_new ();
  Batch batch = { 0, };
  GThreadPool *pool;
  gulong handler = 0;

  batch.files = files;
  batch.results = g_ptr_array_new_full (files->len, (GDestroyNotify) ttd_converted_image_free);
  g_ptr_array_set_size (batch.results, files->len);
  batch.quality = quality;
  batch.cancellable = batch_cancellable;
  batch.pending = files->len;
  batch.done = done;
  batch.done_data = data;
  g_mutex_init (&batch.lock);
  g_cond_init (&batch.cond);

  handler = ttd_cancellable_forward (cancellable, batch_cancellable);

  pool = g_thread_pool_new (convert_one, &batch, MAX (1, (int) g_get_num_processors ()), FALSE, NULL);
  for (guint i = 0; i < files->len; i++)
    g_thread_pool_push (pool, GUINT_TO_POINTER (i + 1), NULL);

  g_mutex_lock (&batch.lock);
  while (batch.pending > 0)
    g_cond_wait (&batch.cond, &batch.lock);
  g_mutex_unlock (&batch.lock);

  g_thread_pool_free (pool, FALSE, TRUE);
  g_cancellable_disconnect (cancellable, handler);
  g_mutex_clear (&batch.lock);
  g_cond_clear (&batch.cond);

  if (batch.error != NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      if (batch.error != NULL)
        g_propagate_error (error, batch.error);
      g_ptr_array_unref (batch.results);
      return NULL;
    }

  return batch.results;
}
