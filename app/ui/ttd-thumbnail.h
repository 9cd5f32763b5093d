/* ttd-thumbnail.h — pictures decoded off the main loop
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define TTD_THUMBNAIL_MAX_PIXELS (100 * 1000 * 1000)
#define TTD_THUMBNAIL_MAX_SIDE   20000

void        ttd_thumbnail_load_async         (GFile                *file,
                                              int                   size,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GdkTexture *ttd_thumbnail_load_finish        (GAsyncResult         *result,
                                              GError              **error);

void        ttd_thumbnail_load_avatar_async  (SoupSession          *session,
                                              const char           *uri,
                                              int                   size,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GdkTexture *ttd_thumbnail_load_avatar_finish (GAsyncResult         *result,
                                              GError              **error);

void        ttd_thumbnail_probe_video_async  (GFile                *file,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gint64      ttd_thumbnail_probe_video_finish (GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS
