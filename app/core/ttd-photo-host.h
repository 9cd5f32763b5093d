/* ttd-photo-host.h — where photos wait for TikTok to pull them
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "ttd-config.h"

G_BEGIN_DECLS

/* TikTok pulls for at most an hour after init (tiktok-api.md §6.1). */
#define TTD_PHOTO_PULL_WINDOW_SECONDS 3600

typedef struct _TtdPhotoHost TtdPhotoHost;

TtdPhotoHost *ttd_photo_host_new            (const TtdConfig  *config,
                                             SoupSession      *session,
                                             GError          **error);
void          ttd_photo_host_free           (TtdPhotoHost     *self);
const char   *ttd_photo_host_get_id        (TtdPhotoHost     *self);
char         *ttd_photo_host_new_name       (GError          **error);
char         *ttd_photo_host_public_url     (TtdPhotoHost     *self,
                                             const char       *name);
gboolean      ttd_photo_host_put            (TtdPhotoHost     *self,
                                             const char       *name,
                                             GBytes           *data,
                                             GCancellable     *cancellable,
                                             GError          **error);
gboolean      ttd_photo_host_verify         (TtdPhotoHost     *self,
                                             const char       *name,
                                             GBytes           *data,
                                             GCancellable     *cancellable,
                                             GError          **error);
gboolean      ttd_photo_host_delete         (TtdPhotoHost     *self,
                                             const char       *name,
                                             GCancellable     *cancellable,
                                             GError          **error);
void          ttd_photo_host_record         (const char       *host_id,
                                             const char       *name,
                                             const char       *publish_id);
void          ttd_photo_host_forget         (const char       *host_id,
                                             const char       *name);
guint         ttd_photo_host_clean_leftovers (TtdPhotoHost    *self,
                                              GCancellable    *cancellable);
gboolean      ttd_photo_host_test           (TtdPhotoHost     *self,
                                             GCancellable     *cancellable,
                                             GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtdPhotoHost, ttd_photo_host_free)

G_END_DECLS
