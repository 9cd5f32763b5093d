/* ttd-video-probe.c — what is inside a video, asked of GStreamer
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Compiled only when gstreamer-pbutils is found. GstDiscoverer's synchronous
 * API runs its own main loop, so call ttd_video_probe() from a worker thread
 * (or the CLI), never from the app's main loop.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>

#include "ttd-error.h"
#include "ttd-video-probe.h"

#define DEFAULT_TIMEOUT_SECONDS 10

G_DEFINE_BOXED_TYPE (TtdVideoInfo, ttd_video_info, ttd_video_info_copy, ttd_video_info_free)

TtdVideoInfo *
ttd_video_info_copy (const TtdVideoInfo *self)
{
  TtdVideoInfo *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->codec = g_strdup (self->codec);
  copy->container = g_strdup (self->container);

  return copy;
}

void
ttd_video_info_free (TtdVideoInfo *self)
{
  if (self == NULL)
    return;

  g_free (self->codec);
  g_free (self->container);
  g_free (self);
}

/* gst_init_check is not thread-safe before it has run once. */
static gboolean
ensure_gst (GError **error)
{
  static gsize initialized;
  static gboolean ok;
  static char *problem;

  if (g_once_init_enter (&initialized))
    {
      g_autoptr(GError) local_error = NULL;

      ok = gst_init_check (NULL, NULL, &local_error);
      if (!ok)
        problem = g_strdup (local_error ? local_error->message : "?");
      g_once_init_leave (&initialized, 1);
    }

  if (!ok)
    g_set_error (error, TTD_ERROR, TTD_ERROR_FAILED,
                 _("Videos can’t be examined because GStreamer could not start (%s)."), problem);

  return ok;
}

/**
 * ttd_video_probe_available:
 *
 * Returns: %TRUE when GStreamer works and can at least read MP4 files, so
 *   ttd_video_probe() has a chance of answering.
 */
gboolean
ttd_video_probe_available (void)
{
  g_autoptr(GstElementFactory) demuxer = NULL;

  if (!ensure_gst (NULL))
    return FALSE;

  demuxer = gst_element_factory_find ("qtdemux");

  return demuxer != NULL;
}

static char *
describe_caps (GstCaps *caps)
{
  if (caps == NULL)
    return NULL;

  return gst_pb_utils_get_codec_description (caps);
}

/**
 * ttd_video_probe:
 * @timeout_seconds: give up after this long; 0 means 10 seconds
 *
 * Blocking: reads @file's headers with GstDiscoverer.
 *
 * Returns: (transfer full): what was found, or %NULL with a TTD_ERROR whose
 *   message is a sentence for the user (for example when the file is not a
 *   video GStreamer can read).
 */
TtdVideoInfo *
ttd_video_probe (GFile   *file,
                 guint    timeout_seconds,
                 GError **error)
{
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *name = NULL;
  g_autoptr(TtdVideoInfo) result = NULL;
  GList *streams;
  GstDiscovererStreamInfo *top;
  GstClockTime duration;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!ensure_gst (error))
    return NULL;

  name = g_file_get_basename (file);
  uri = g_file_get_uri (file);
  discoverer = gst_discoverer_new ((timeout_seconds ? timeout_seconds : DEFAULT_TIMEOUT_SECONDS)
                                   * GST_SECOND, &local_error);
  if (discoverer == NULL)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_FAILED,
                   _("Videos can’t be examined (%s)."), local_error->message);
      return NULL;
    }

  info = gst_discoverer_discover_uri (discoverer, uri, &local_error);
  if (info == NULL ||
      (gst_discoverer_info_get_result (info) != GST_DISCOVERER_OK &&
       gst_discoverer_info_get_result (info) != GST_DISCOVERER_MISSING_PLUGINS))
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                   _("“%s” could not be read as a video."), name);
      return NULL;
    }

  result = g_new0 (TtdVideoInfo, 1);
  result->duration_ms = -1;

  duration = gst_discoverer_info_get_duration (info);
  if (GST_CLOCK_TIME_IS_VALID (duration) && duration > 0)
    result->duration_ms = (gint64) (duration / GST_MSECOND);

  top = gst_discoverer_info_get_stream_info (info);
  if (top != NULL)
    {
      if (GST_IS_DISCOVERER_CONTAINER_INFO (top))
        {
          g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (top);

          result->container = describe_caps (caps);
        }
      gst_discoverer_stream_info_unref (top);
    }

  streams = gst_discoverer_info_get_video_streams (info);
  if (streams != NULL)
    {
      GstDiscovererVideoInfo *video = streams->data;
      g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (GST_DISCOVERER_STREAM_INFO (video));
      guint num = gst_discoverer_video_info_get_framerate_num (video);
      guint denom = gst_discoverer_video_info_get_framerate_denom (video);

      result->width = gst_discoverer_video_info_get_width (video);
      result->height = gst_discoverer_video_info_get_height (video);
      if (num > 0 && denom > 0)
        result->frame_rate = (double) num / (double) denom;
      result->codec = describe_caps (caps);
    }
  gst_discoverer_stream_info_list_free (streams);

  return g_steal_pointer (&result);
}
