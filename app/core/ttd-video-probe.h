/* ttd-video-probe.h — what is inside a video, asked of GStreamer
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * TtdVideoInfo:
 * @duration_ms: length in milliseconds, or -1 when unknown
 * @width: picture width in pixels, or 0 when unknown
 * @height: picture height in pixels, or 0 when unknown
 * @frame_rate: frames per second, or 0 when unknown
 * @codec: (nullable): the video codec, as GStreamer describes it ("H.264 (High Profile)")
 * @container: (nullable): the container format ("ISO MP4/M4A")
 */
typedef struct
{
  gint64  duration_ms;
  guint   width;
  guint   height;
  double  frame_rate;
  char   *codec;
  char   *container;
} TtdVideoInfo;

#define TTD_TYPE_VIDEO_INFO (ttd_video_info_get_type ())

GType         ttd_video_info_get_type   (void) G_GNUC_CONST;
TtdVideoInfo *ttd_video_info_copy       (const TtdVideoInfo *self);
void          ttd_video_info_free       (TtdVideoInfo       *self);

gboolean      ttd_video_probe_available (void);
TtdVideoInfo *ttd_video_probe           (GFile              *file,
                                         guint               timeout_seconds,
                                         GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtdVideoInfo, ttd_video_info_free)

G_END_DECLS
