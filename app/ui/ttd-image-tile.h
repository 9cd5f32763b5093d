/* ttd-image-tile.h — one picture of a slideshow, with its order and cover controls
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ttd-upload-item.h"

G_BEGIN_DECLS

#define TTD_TYPE_IMAGE_TILE (ttd_image_tile_get_type ())

G_DECLARE_FINAL_TYPE (TtdImageTile, ttd_image_tile, TTD, IMAGE_TILE, GtkBox)

GtkWidget     *ttd_image_tile_new          (TtdUploadItem *image);
TtdUploadItem *ttd_image_tile_get_item     (TtdImageTile  *self);
void           ttd_image_tile_set_position (TtdImageTile  *self,
                                            guint          position,
                                            guint          n_images,
                                            gboolean       is_cover,
                                            gboolean       editable);

G_END_DECLS
