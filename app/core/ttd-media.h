/* ttd-media.h — what a dropped file is, judged by its content
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TTD_VIDEO_DURATION_MAX_MS (10 * 60 * 1000)

typedef enum
{
  TTD_MEDIA_KIND_UNSUPPORTED,
  TTD_MEDIA_KIND_VIDEO,
  TTD_MEDIA_KIND_IMAGE,
} TtdMediaKind;

TtdMediaKind ttd_media_kind_for_content_type (const char    *content_type);
char        *ttd_media_sniff                 (GFile         *file,
                                              GCancellable  *cancellable,
                                              GError       **error);
gboolean     ttd_media_check_video           (GFile         *file,
                                              char         **content_type,
                                              gint64        *size,
                                              GCancellable  *cancellable,
                                              GError       **error);
char        *ttd_media_dup_display_name      (GFile         *file);

G_END_DECLS
