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

typedef struct
{
  const char *name;
  GError     *error;
  gboolean    refused;
} LoadState;

/* Runs once the header is parsed, before any pixel is decoded: the place
 * to refuse decoder bombs and to ask the loader for the final size (the
 * JPEG loader then decodes at reduced scale, which is also much faster). */
static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  LoadState       *state)
{
  GdkPixbufFormat *format = gdk_pixbuf_loader_get_format (loader);
  g_autofree char *format_name = format ? gdk_pixbuf_format_get_name (format) : NULL;
  gboolean accepted = FALSE;
  int fit_width;
  int fit_height;

  for (guint i = 0; format_name != NULL && i < G_N_ELEMENTS (accepted_formats); i++)
    accepted |= g_str_equal (format_name, accepted_formats[i]);

  if (!accepted)
    {
      g_set_error (&state->error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                   _("“%s” is in a picture format TikTok Drafts does not convert (%s). Use JPEG, PNG or WebP."),
                   state->name, format_name ? format_name : "?");
      state->refused = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }

  if (width <= 0 || height <= 0 ||
      width > TTD_IMAGE_SIDE_MAX || height > TTD_IMAGE_SIDE_MAX ||
      (gint64) width * height > TTD_IMAGE_PIXELS_MAX)
    {
      g_set_error (&state->error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                   _("“%s” claims to be %d × %d pixels, which is too large to be a real photo (the limit is 120 megapixels). It was not opened."),
                   state->name, width, height);
      state->refused = TRUE;
      /* 0 × 0 tells loaders not to allocate anything. */
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }

  ttd_photo_fit_size (width, height, &fit_width, &fit_height);
  if (fit_width != width || fit_height != height)
    gdk_pixbuf_loader_set_size (loader, fit_width, fit_height);
}

static GdkPixbuf *
load_scaled (GFile         *file,
             const char    *name,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  LoadState state = { name, NULL, FALSE };
  guint8 buffer[64 * 1024];
  gssize n;
  GdkPixbuf *pixbuf;

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

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &state);

  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, sizeof buffer,
                                   cancellable, &local_error)) > 0)
    {
      if (!gdk_pixbuf_loader_write (loader, buffer, n, state.refused ? NULL : &local_error) ||
          state.refused)
        break;
    }

  gdk_pixbuf_loader_close (loader, local_error || state.refused ? NULL : &local_error);

  if (state.refused)
    {
      g_propagate_error (error, state.error);
      return NULL;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL || local_error != NULL)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                   _("“%s” could not be read as a picture (%s). It may be damaged or in an unsupported format."),
                   name, local_error ? local_error->message : _("no image data"));
      return NULL;
    }

  return g_object_ref (pixbuf);
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
