/* ttd-media.c
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "ttd-chunk-plan.h"
#include "ttd-error.h"
#include "ttd-media.h"
#if HAVE_GSTREAMER
#include "ttd-video-probe.h"
#endif

#define SNIFF_BYTES 4096

/* The upload Content-Type for each video type TikTok takes (§5.4). */
static const struct {
  const char *sniffed;
  const char *upload;
} video_types[] = {
  { "video/mp4", "video/mp4" },
  { "video/x-m4v", "video/mp4" },
  { "video/quicktime", "video/quicktime" },
  { "video/webm", "video/webm" },
};

static const char *image_types[] = {
  "image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp", "image/tiff",
};

static const char *
upload_type_for (const char *content_type)
{
  for (guint i = 0; i < G_N_ELEMENTS (video_types); i++)
    if (g_content_type_equals (content_type, video_types[i].sniffed))
      return video_types[i].upload;

  return NULL;
}

TtdMediaKind
ttd_media_kind_for_content_type (const char *content_type)
{
  if (content_type == NULL)
    return TTD_MEDIA_KIND_UNSUPPORTED;

  if (upload_type_for (content_type) != NULL)
    return TTD_MEDIA_KIND_VIDEO;

  for (guint i = 0; i < G_N_ELEMENTS (image_types); i++)
    if (g_content_type_equals (content_type, image_types[i]))
      return TTD_MEDIA_KIND_IMAGE;

  return TTD_MEDIA_KIND_UNSUPPORTED;
}

char *
ttd_media_dup_display_name (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  if (basename == NULL)
    return g_file_get_parse_name (file);

  /* File names need not be UTF-8; show what can be shown. */
  return g_filename_display_name (basename);
}

/**
 * ttd_media_sniff:
 *
 * Reads the start of @file and guesses its type from the content alone,
 * never from the name (a PNG renamed .mp4 is still a PNG).
 *
 * Returns: (transfer full): a content type, or %NULL with an error when
 *   the file cannot be read.
 */
char *
ttd_media_sniff (GFile         *file,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = ttd_media_dup_display_name (file);
  guint8 buffer[SNIFF_BYTES];
  gsize n_read = 0;
  gboolean uncertain = FALSE;

  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, sizeof buffer, &n_read,
                                cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                     _("“%s” no longer exists. It may have been moved or deleted."), name);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
        g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                     _("“%s” is a folder, not a media file."), name);
      else
        g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                     _("“%s” could not be read (%s). Check that the file is readable."),
                     name, local_error->message);
      return NULL;
    }

  if (n_read == 0)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                   _("“%s” is empty."), name);
      return NULL;
    }

  return g_content_type_guess (NULL, buffer, n_read, &uncertain);
}

/* TikTok's video limits (tiktok-api.md §5.4), checked with GStreamer's
 * discoverer where it is available. A file the discoverer cannot read is
 * left for TikTok to judge: only what is known to be wrong is refused. */
static gboolean
check_video_properties (GFile       *file,
                        const char  *name,
                        GError     **error)
{
#if HAVE_GSTREAMER
  static const char *codecs[] = { "H.264", "H.265", "HEVC", "VP8", "VP9" };
  g_autoptr(TtdVideoInfo) info = NULL;
  g_autoptr(GError) probe_error = NULL;
  gboolean codec_ok = FALSE;

  if (!ttd_video_probe_available ())
    return TRUE;

  /* A file GStreamer cannot make sense of can keep the discoverer busy until
   * the timeout (seen with undecodable MP4s on one CPU); the answer is only
   * advisory, so do not make the user wait long for it. */
  info = ttd_video_probe (file, 5, &probe_error);
  if (info == NULL)
    {
      g_debug ("Could not probe %s: %s", name, probe_error ? probe_error->message : "?");
      return TRUE;
    }

  if (info->duration_ms > TTD_VIDEO_DURATION_MAX_MS)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                   /* Translators: %<PRId64> is a number of minutes; keep it as it is */
                   g_dngettext (GETTEXT_PACKAGE,
                                "“%s” is %" PRId64 " minute long; TikTok takes videos of at most 10 minutes from apps. Trim it first.",
                                "“%s” is %" PRId64 " minutes long; TikTok takes videos of at most 10 minutes from apps. Trim it first.",
                                (gulong) ((info->duration_ms + 59999) / 60000)),
                   name, (info->duration_ms + 59999) / 60000);
      return FALSE;
    }

  if (info->frame_rate > 0 && (info->frame_rate < 23 - 0.01 || info->frame_rate > 60 + 0.01))
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                   _("“%s” plays at %.3g frames per second; TikTok needs 23 to 60. Export it at a frame rate in that range."),
                   name, info->frame_rate);
      return FALSE;
    }

  if (info->width > 0 && info->height > 0 &&
      (MIN (info->width, info->height) < 360 || MAX (info->width, info->height) > 4096))
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                   _("“%s” is %u × %u pixels; TikTok needs 360 to 4096 pixels on each side."),
                   name, info->width, info->height);
      return FALSE;
    }

  for (guint i = 0; info->codec != NULL && i < G_N_ELEMENTS (codecs); i++)
    codec_ok |= strstr (info->codec, codecs[i]) != NULL;

  if (info->codec != NULL && !codec_ok)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                   _("“%s” is encoded as %s, which TikTok does not take. Use H.264 (recommended), H.265, VP8 or VP9."),
                   name, info->codec);
      return FALSE;
    }
#endif

  return TRUE;
}

/**
 * ttd_media_check_video:
 * @content_type: (out): the Content-Type to upload with
 * @size: (out): the file's size
 *
 * Checks what can be checked before spending bandwidth: the file exists,
 * is a readable regular file, not empty, at most 4 GB, and its content is
 * MP4, MOV or WebM.
 */
gboolean
ttd_media_check_video (GFile         *file,
                       char         **content_type,
                       gint64        *size,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = ttd_media_dup_display_name (file);
  g_autofree char *sniffed = NULL;
  const char *upload_type;

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_ACCESS_CAN_READ,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                     _("“%s” does not exist; it may have been moved, renamed or deleted."), name);
      else
        g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                     _("“%s” could not be read (%s)."), name, local_error->message);
      return FALSE;
    }

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                   _("“%s” is not a regular file. Choose a video file."), name);
      return FALSE;
    }

  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ) &&
      !g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ))
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                   _("You do not have permission to read “%s”."), name);
      return FALSE;
    }

  if (g_file_info_get_size (info) == 0)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE, _("“%s” is empty."), name);
      return FALSE;
    }

  if (g_file_info_get_size (info) > TTD_VIDEO_SIZE_MAX)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                   _("“%s” is larger than 4 GB, the most TikTok accepts. Shorten or compress the video first."),
                   name);
      return FALSE;
    }

  sniffed = ttd_media_sniff (file, cancellable, error);
  if (sniffed == NULL)
    return FALSE;

  upload_type = upload_type_for (sniffed);
  if (upload_type == NULL)
    {
      g_autofree char *description = g_content_type_get_description (sniffed);

      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                   _("“%s” is not a video TikTok accepts (it looks like: %s). Use an MP4, MOV or WebM video."),
                   name, description);
      return FALSE;
    }

  if (!check_video_properties (file, name, error))
    return FALSE;

  if (content_type != NULL)
    *content_type = g_strdup (upload_type);
  if (size != NULL)
    *size = g_file_info_get_size (info);

  return TRUE;
}
