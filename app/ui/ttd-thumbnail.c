/* ttd-thumbnail.c — pictures decoded off the main loop
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pictures are decoded at thumbnail size in worker threads with the core's
 * ttd_image_decode(): the type is judged by content before any loader sees
 * the file, the header is checked so a hostile 60000×60000 PNG is refused
 * before anything is allocated for it, and every decoder shares one pixel
 * budget.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <sys/resource.h>

#include "ttd-core.h"
#include "ttd-thumbnail.h"
#if HAVE_GSTREAMER
# include "ttd-video-probe.h"
#endif

#define AVATAR_MAX_BYTES (5 * 1024 * 1024)

typedef struct
{
  const char *name;
  int         size;
} Thumbnail;

/* Refuses decoder bombs; decodes at the size that fills a square of
 * thumbnail->size pixels (the thumbnails are shown cropped). */
static gboolean
thumbnail_size (int       width,
                int       height,
                int      *scaled_width,
                int      *scaled_height,
                gpointer  user_data,
                GError  **error)
{
  const Thumbnail *thumbnail = user_data;
  double scale;

  if (width <= 0 || height <= 0 ||
      width > TTD_THUMBNAIL_MAX_SIDE || height > TTD_THUMBNAIL_MAX_SIDE ||
      (gint64) width * height > TTD_THUMBNAIL_MAX_PIXELS)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                   _("“%s” is too large: pictures may have at most %d megapixels and %d pixels on a side."),
                   thumbnail->name, TTD_THUMBNAIL_MAX_PIXELS / 1000000, TTD_THUMBNAIL_MAX_SIDE);
      return FALSE;
    }

  scale = MAX ((double) thumbnail->size / width, (double) thumbnail->size / height);
  if (scale < 1.0)
    {
      *scaled_width = MAX (1, (int) (width * scale + 0.5));
      *scaled_height = MAX (1, (int) (height * scale + 0.5));
    }
  return TRUE;
}

/* Sniffed, size-checked and within the pixel budget all decoders share
 * (ttd_image_decode()); then turned upright. */
static GdkPixbuf *
decode_stream (GInputStream  *stream,
               const char    *name,
               int            size,
               gint64         max_bytes,
               GCancellable  *cancellable,
               GError       **error)
{
  Thumbnail thumbnail = { name, size };
  g_autoptr(GdkPixbuf) pixbuf = ttd_image_decode (stream, name, max_bytes, thumbnail_size, &thumbnail,
                                                  cancellable, error);

  if (pixbuf == NULL)
    return NULL;

  /* Phones store portrait photos sideways with an EXIF orientation. */
  return gdk_pixbuf_apply_embedded_orientation (pixbuf);
}

/* Thumbnails are shown as squares; cut the middle out here, once. */
static GdkPixbuf *
crop_square (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int side = MIN (width, height);
  g_autoptr(GdkPixbuf) middle = NULL;

  if (width == height)
    return g_object_ref (pixbuf);

  middle = gdk_pixbuf_new_subpixbuf (pixbuf, (width - side) / 2, (height - side) / 2, side, side);

  return gdk_pixbuf_copy (middle);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = task_data;
  int size = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "size"));
  g_autofree char *name = ttd_media_dup_display_name (file);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  GError *error = NULL;

  stream = g_file_read (file, cancellable, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  pixbuf = decode_stream (G_INPUT_STREAM (stream), name, size, 0, cancellable, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, crop_square (pixbuf), g_object_unref);
}

/* Pictures are decoded by a pool of our own: one thread per processor, at
 * a lower priority (nice 10) than the main loop. g_task_run_in_thread()
 * would start a thread per picture (GLib's pool grows while its tasks run
 * long), and 35 decoders on two cores starve the main loop and the
 * display server it waits on. */
static void
decode_pool_func (gpointer data,
                  gpointer user_data)
{
  g_autoptr(GTask) task = data;
  static __thread gboolean niced;

  if (!niced)
    {
      niced = TRUE;
      /* On Linux this lowers only the calling thread. */
      if (setpriority (PRIO_PROCESS, 0, 10) != 0)
        g_debug ("Could not lower the priority of a picture decoder");
    }

  load_thread (task, NULL, g_task_get_task_data (task), g_task_get_cancellable (task));
}

static GThreadPool *
get_decode_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    /* Exclusive: the threads are ours alone, so their lowered priority
     * never carries over to other work GLib would give a shared thread. */
    g_once_init_leave (&pool, g_thread_pool_new (decode_pool_func, NULL,
                                                 (int) g_get_num_processors (), TRUE, NULL));
  return pool;
}

/**
 * ttd_thumbnail_load_async:
 * @size: the thumbnail fills a square of this many pixels
 */
void
ttd_thumbnail_load_async (GFile               *file,
                          int                  size,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ttd_thumbnail_load_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_object_set_data (G_OBJECT (task), "size", GINT_TO_POINTER (size));
  g_thread_pool_push (get_decode_pool (), g_steal_pointer (&task), NULL);
}

static GdkTexture *
texture_from_task (GAsyncResult  *result,
                   GError       **error)
{
  g_autoptr(GdkPixbuf) pixbuf = g_task_propagate_pointer (G_TASK (result), error);

  if (pixbuf == NULL)
    return NULL;

  return gdk_texture_new_for_pixbuf (pixbuf);
}

/**
 * ttd_thumbnail_load_finish:
 *
 * Returns: (transfer full): the thumbnail, or %NULL with a TTD_ERROR that
 *   says in a sentence what is wrong with the picture.
 */
GdkTexture *
ttd_thumbnail_load_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return texture_from_task (result, error);
}

/* The avatar URL comes from TikTok (or the emulator): fetch it with the API
 * client's session, so the same proxy and TLS settings apply. */
static void
avatar_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SoupSession *session = source_object;
  const char *uri = task_data;
  int size = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "size"));
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  GError *error = NULL;

  /* https (or this computer) and no redirects, as for every request */
  message = ttd_http_message_new ("avatar address", SOUP_METHOD_GET, uri, &error);
  if (message == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  stream = soup_session_send (session, message, cancellable, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    {
      g_task_return_new_error (task, TTD_ERROR, TTD_ERROR_NETWORK, "Avatar download failed (%u)",
                               soup_message_get_status (message));
      return;
    }

  pixbuf = decode_stream (stream, "avatar", size, AVATAR_MAX_BYTES, cancellable, &error);
  if (pixbuf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&pixbuf), g_object_unref);
}

void
ttd_thumbnail_load_avatar_async (SoupSession         *session,
                                 const char          *uri,
                                 int                  size,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (uri != NULL);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, ttd_thumbnail_load_avatar_async);
  g_task_set_task_data (task, g_strdup (uri), g_free);
  g_object_set_data (G_OBJECT (task), "size", GINT_TO_POINTER (size));
  g_task_run_in_thread (task, avatar_thread);
}

GdkTexture *
ttd_thumbnail_load_avatar_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return texture_from_task (result, error);
}

static void
probe_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
#if HAVE_GSTREAMER
  g_autoptr(TtdVideoInfo) info = NULL;
  GError *error = NULL;

  if (!ttd_video_probe_available ())
    {
      g_task_return_int (task, -1);
      return;
    }

  info = ttd_video_probe (G_FILE (task_data), 10, &error);
  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, info->duration_ms);
#else
  g_task_return_int (task, -1);
#endif
}

/**
 * ttd_thumbnail_probe_video_async:
 *
 * Finds a video's duration with GStreamer, when the core was built with it.
 */
void
ttd_thumbnail_probe_video_async (GFile               *file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ttd_thumbnail_probe_video_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, probe_thread);
}

/**
 * ttd_thumbnail_probe_video_finish:
 *
 * Returns: the duration in milliseconds, or -1 when unknown.
 */
gint64
ttd_thumbnail_probe_video_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), -1);

  return g_task_propagate_int (G_TASK (result), error);
}
