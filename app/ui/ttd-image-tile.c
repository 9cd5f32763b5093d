/* ttd-image-tile.c — one picture of a slideshow, with its order and cover controls
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ttd-image-tile.h"

struct _TtdImageTile
{
  GtkBox           parent_instance;

  /* Template widgets */
  GtkStack        *picture_stack;
  GtkImage        *icon;
  GtkImage        *picture;
  GtkWidget       *cover_badge;
  GtkWidget       *remove_button;
  GtkWidget       *earlier_button;
  GtkToggleButton *cover_button;
  GtkWidget       *later_button;

  /* Owned references */
  TtdUploadItem   *item;

  gboolean         updating;
};

G_DEFINE_FINAL_TYPE (TtdImageTile, ttd_image_tile, GTK_TYPE_BOX)

enum {
  SIGNAL_MOVE,
  SIGNAL_MAKE_COVER,
  SIGNAL_REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
earlier_clicked_cb (TtdImageTile *self)
{
  g_signal_emit (self, signals[SIGNAL_MOVE], 0, -1);
}

static void
later_clicked_cb (TtdImageTile *self)
{
  g_signal_emit (self, signals[SIGNAL_MOVE], 0, 1);
}

static void
cover_clicked_cb (TtdImageTile *self)
{
  if (self->updating)
    return;

  g_signal_emit (self, signals[SIGNAL_MAKE_COVER], 0);
}

static void
remove_clicked_cb (TtdImageTile *self)
{
  g_signal_emit (self, signals[SIGNAL_REMOVE], 0);
}

static void
update_picture (TtdImageTile *self)
{
  GdkPaintable *paintable = ttd_upload_item_get_thumbnail (self->item);
  const char *problem = ttd_upload_item_get_problem (self->item);

  gtk_image_set_from_paintable (self->picture, paintable);
  gtk_stack_set_visible_child_name (self->picture_stack, paintable ? "picture" : "icon");
  gtk_image_set_from_icon_name (self->icon, problem ? "image-missing-symbolic" : "image-x-generic-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->picture_stack),
                               problem ? problem : ttd_upload_item_get_display_name (self->item));
}

static void
ttd_image_tile_dispose (GObject *object)
{
  TtdImageTile *self = TTD_IMAGE_TILE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TTD_TYPE_IMAGE_TILE);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (ttd_image_tile_parent_class)->dispose (object);
}

static void
ttd_image_tile_class_init (TtdImageTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ttd_image_tile_dispose;

  signals[SIGNAL_MOVE] = g_signal_new ("move", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIGNAL_MAKE_COVER] = g_signal_new ("make-cover", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 0);
  signals[SIGNAL_REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/cofndrly/TikTokDrafts/ui/ttd-image-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, TtdImageTile, picture_stack);
  gtk_widget_class_bind_template_child (widget_class, TtdImageTile, icon);
  gtk_widget_class_bind_template_child (widget_class, TtdImageTile, picture);
  gtk_widget_class_bind_template_child (widget_class, TtdImageTile, cover_badge);
  gtk_widget_class_bind_template_child (widget_class, TtdImageTile, remove_button);
  gtk_widget_class_bind_template_child (widget_class, TtdImageTile, earlier_button);
  gtk_widget_class_bind_template_child (widget_class, TtdImageTile, cover_button);
  gtk_widget_class_bind_template_child (widget_class, TtdImageTile, later_button);
  gtk_widget_class_bind_template_callback (widget_class, earlier_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, later_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cover_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
}

static void
ttd_image_tile_init (TtdImageTile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ttd_image_tile_new (TtdUploadItem *image)
{
  TtdImageTile *self;

  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (image), NULL);

  self = g_object_new (TTD_TYPE_IMAGE_TILE, NULL);
  self->item = g_object_ref (image);

  g_signal_connect_object (image, "notify::thumbnail", G_CALLBACK (update_picture), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (image, "notify::problem", G_CALLBACK (update_picture), self,
                           G_CONNECT_SWAPPED);
  update_picture (self);
  ttd_image_tile_set_position (self, 0, 1, FALSE, TRUE);

  return GTK_WIDGET (self);
}

TtdUploadItem *
ttd_image_tile_get_item (TtdImageTile *self)
{
  g_return_val_if_fail (TTD_IS_IMAGE_TILE (self), NULL);

  return self->item;
}

/* Labels say which picture each control acts on, for screen readers. */
void
ttd_image_tile_set_position (TtdImageTile *self,
                             guint         position,
                             guint         n_images,
                             gboolean      is_cover,
                             gboolean      editable)
{
  const char *name = ttd_upload_item_get_display_name (self->item);
  g_autofree char *earlier = g_strdup_printf (_("Move %s earlier"), name);
  g_autofree char *later = g_strdup_printf (_("Move %s later"), name);
  g_autofree char *cover = g_strdup_printf (_("Use %s as the cover"), name);
  g_autofree char *remove = g_strdup_printf (_("Remove %s"), name);
  g_autofree char *picture = g_strdup_printf (_("Photo %u of %u: %s"), position + 1, n_images, name);

  g_return_if_fail (TTD_IS_IMAGE_TILE (self));

  self->updating = TRUE;
  gtk_toggle_button_set_active (self->cover_button, is_cover);
  self->updating = FALSE;

  gtk_widget_set_visible (self->cover_badge, is_cover);
  gtk_widget_set_sensitive (self->earlier_button, editable && position > 0);
  gtk_widget_set_sensitive (self->later_button, editable && position + 1 < n_images);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cover_button), editable);
  gtk_widget_set_visible (self->remove_button, editable);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->earlier_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, earlier, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->later_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, later, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->cover_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, cover, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, picture, -1);
}
