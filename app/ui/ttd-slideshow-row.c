/* ttd-slideshow-row.c — the photo slideshow in the queue
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pictures can be put in order and one chosen as the cover; the title and
 * description count UTF-16 code units, as TikTok does.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ttd-core.h"
#include "ttd-image-tile.h"
#include "ttd-media-row.h"
#include "ttd-slideshow-row.h"

struct _TtdSlideshowRow
{
  GtkListBoxRow   parent_instance;

  /* Template widgets */
  GtkStack       *thumbnail_stack;
  GtkImage       *thumbnail;
  GtkLabel       *details_label;
  GtkProgressBar *progress;
  GtkLabel       *status_label;
  GtkStack       *state_stack;
  GtkWidget      *retry_button;
  GtkWidget      *remove_button;
  GtkFlowBox     *images_box;
  GtkWidget      *text_box;
  GtkLabel       *title_counter;
  GtkEntry       *title_entry;
  GtkLabel       *description_counter;
  GtkTextView    *description_view;

  /* Owned references */
  TtdUploadItem  *item;
  GListStore     *shown;        /* the pictures that have a tile: a prefix of item's */

  guint           catch_up_id;
  guint           following : 1;  /* the fields are being set from the item */
};

G_DEFINE_FINAL_TYPE (TtdSlideshowRow, ttd_slideshow_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  SIGNAL_REMOVE,
  SIGNAL_RETRY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GListModel *
images (TtdSlideshowRow *self)
{
  return G_LIST_MODEL (ttd_upload_item_get_images (self->item));
}

static gboolean
editable (TtdSlideshowRow *self)
{
  TtdQueueState state = ttd_upload_item_get_state (self->item);

  return state == TTD_QUEUE_STATE_QUEUED || state == TTD_QUEUE_STATE_FAILED;
}

static void
update_counter (GtkLabel   *counter,
                const char *text,
                glong       max)
{
  glong length = ttd_utf16_length (text);
  g_autofree char *label = g_strdup_printf ("%ld / %ld", length, max);
  /* Translators: tooltip and accessible description of a character counter */
  g_autofree char *accessible = g_strdup_printf (ngettext ("%ld of at most %ld character",
                                                           "%ld of at most %ld characters", max),
                                                 length, max);

  gtk_label_set_label (counter, label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (counter), accessible);
  if (length > max)
    {
      gtk_widget_add_css_class (GTK_WIDGET (counter), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (counter), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (counter), "error");
      gtk_widget_add_css_class (GTK_WIDGET (counter), "dim-label");
    }
}

static void
title_changed_cb (TtdSlideshowRow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->title_entry));

  update_counter (self->title_counter, text, TTD_SLIDESHOW_TITLE_MAX);
  if (ttd_utf16_length (text) > TTD_SLIDESHOW_TITLE_MAX)
    gtk_widget_add_css_class (GTK_WIDGET (self->title_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->title_entry), "error");

  if (self->item != NULL && !self->following)
    ttd_upload_item_set_title (self->item, text);
}

static void
description_changed_cb (TtdSlideshowRow *self,
                        GtkTextBuffer   *buffer)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  update_counter (self->description_counter, text, TTD_SLIDESHOW_DESCRIPTION_MAX);

  if (self->item != NULL && !self->following)
    ttd_upload_item_set_description (self->item, text);
}

/* The item's title and description set elsewhere (another program, over
 * D-Bus) show in the fields. Setting a field empties it first, which must
 * not be written back. */
static void
follow_text_cb (TtdSlideshowRow *self)
{
  g_autofree char *title = g_strdup (ttd_upload_item_get_title (self->item));
  g_autofree char *description = g_strdup (ttd_upload_item_get_description (self->item));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description_view);
  GtkTextIter start, end;
  g_autofree char *shown = NULL;

  if (self->following)
    return;
  self->following = TRUE;

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->title_entry)), title ? title : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->title_entry), title ? title : "");

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (g_strcmp0 (shown, description ? description : "") != 0)
    gtk_text_buffer_set_text (buffer, description ? description : "", -1);

  self->following = FALSE;
}

static void
update_tiles (TtdSlideshowRow *self)
{
  guint n = g_list_model_get_n_items (images (self));
  guint cover = ttd_upload_item_get_cover_index (self->item);

  for (guint i = 0; i < n; i++)
    {
      GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (self->images_box, i);

      if (child != NULL)
        ttd_image_tile_set_position (TTD_IMAGE_TILE (gtk_flow_box_child_get_child (child)),
                                     i, n, i == cover, editable (self));
    }
}

static void
update_header (TtdSlideshowRow *self)
{
  guint n = g_list_model_get_n_items (images (self));
  g_autofree char *size = g_format_size (ttd_upload_item_get_total_size (self->item));
  g_autofree char *count = g_strdup_printf (ngettext ("%u photo", "%u photos", n), n);
  g_autofree char *details = g_strdup_printf (_("%s · %s"), count, size);
  GdkPaintable *paintable = ttd_upload_item_get_thumbnail (self->item);
  const char *account = ttd_upload_item_get_account_name (self->item);

  if (account != NULL)
    {
      g_autofree char *with = g_steal_pointer (&details);

      details = g_strdup_printf (_("%s · for %s"), with, account);
    }

  gtk_label_set_label (self->details_label, details);
  gtk_image_set_from_paintable (self->thumbnail, paintable);
  gtk_stack_set_visible_child_name (self->thumbnail_stack, paintable ? "picture" : "icon");
}

static void
update_state (TtdSlideshowRow *self)
{
  gboolean can_edit = editable (self);

  _ttd_show_item_state (self->item, self->progress, self->status_label, self->state_stack,
                        self->retry_button, self->remove_button);
  gtk_editable_set_editable (GTK_EDITABLE (self->title_entry), can_edit);
  gtk_text_view_set_editable (self->description_view, can_edit);
  update_tiles (self);
}

static int
index_of (TtdSlideshowRow *self,
          TtdImageTile    *tile)
{
  guint position;

  if (g_list_store_find (ttd_upload_item_get_images (self->item),
                         ttd_image_tile_get_item (tile), &position))
    return (int) position;

  return -1;
}

static void
tile_move_cb (TtdSlideshowRow *self,
              int              delta,
              TtdImageTile    *tile)
{
  GListStore *store = ttd_upload_item_get_images (self->item);
  int from = index_of (self, tile);
  int to = from + delta;
  int cover = (int) ttd_upload_item_get_cover_index (self->item);
  g_autoptr(TtdUploadItem) image = NULL;
  GtkFlowBoxChild *child;

  if (from < 0 || to < 0 || to >= (int) g_list_model_get_n_items (G_LIST_MODEL (store)) ||
      !editable (self))
    return;

  image = g_list_model_get_item (G_LIST_MODEL (store), from);
  g_list_store_remove (store, from);
  g_list_store_insert (store, to, image);

  /* The cover stays the same picture wherever it moves. */
  if (cover == from)
    cover = to;
  else if (cover == to)
    cover = from;
  ttd_upload_item_set_cover_index (self->item, cover);
  update_tiles (self);

  /* Keep the keyboard on the picture being moved. */
  child = gtk_flow_box_get_child_at_index (self->images_box, to);
  if (child != NULL)
    {
      TtdImageTile *moved = TTD_IMAGE_TILE (gtk_flow_box_child_get_child (child));

      gtk_widget_child_focus (GTK_WIDGET (moved), delta < 0 ? GTK_DIR_TAB_FORWARD
                                                             : GTK_DIR_TAB_BACKWARD);
    }
}

static void
tile_make_cover_cb (TtdSlideshowRow *self,
                    TtdImageTile    *tile)
{
  int index = index_of (self, tile);

  if (index >= 0 && editable (self))
    ttd_upload_item_set_cover_index (self->item, index);
  update_tiles (self);
}

static void
tile_remove_cb (TtdSlideshowRow *self,
                TtdImageTile    *tile)
{
  if (!editable (self))
    return;

  /* The window removes the slideshow too when this was its last picture. */
  g_signal_emit (self, signals[SIGNAL_REMOVE], 0, ttd_image_tile_get_item (tile));
}

static GtkWidget *
create_tile_cb (gpointer item,
                gpointer user_data)
{
  TtdSlideshowRow *self = user_data;
  GtkWidget *tile = ttd_image_tile_new (item);

  g_signal_connect_object (tile, "move", G_CALLBACK (tile_move_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (tile, "make-cover", G_CALLBACK (tile_make_cover_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (tile, "remove", G_CALLBACK (tile_remove_cb), self, G_CONNECT_SWAPPED);

  return tile;
}

/* The flow box shows self->shown, which follows the item's pictures:
 * changes among the pictures that have a tile at once, new pictures at the
 * end a few per main-loop iteration. A tile takes a millisecond or two to
 * build, and 35 at once would hold the window up for a visible moment; in
 * between, frames are drawn and input handled. */
#define TILES_PER_ITERATION 6

static void
show_more (TtdSlideshowRow *self)
{
  guint have = g_list_model_get_n_items (G_LIST_MODEL (self->shown));
  guint n = MIN (TILES_PER_ITERATION, g_list_model_get_n_items (images (self)) - have);
  g_autoptr(GPtrArray) more = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (more, g_list_model_get_item (images (self), have + i));
  g_list_store_splice (self->shown, have, 0, more->pdata, n);
  update_tiles (self);
}

static gboolean
catching_up (TtdSlideshowRow *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->shown)) < g_list_model_get_n_items (images (self));
}

static gboolean
catch_up_cb (gpointer user_data)
{
  TtdSlideshowRow *self = user_data;

  show_more (self);
  if (catching_up (self))
    return G_SOURCE_CONTINUE;

  self->catch_up_id = 0;
  return G_SOURCE_REMOVE;
}

static void
follow_images_cb (TtdSlideshowRow *self,
                  guint            position,
                  guint            removed,
                  guint            added)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->shown));

  /* Keep the prefix a prefix: what changed within it changes in it now. */
  if (position < shown)
    {
      g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < added; i++)
        g_ptr_array_add (changed, g_list_model_get_item (images (self), position + i));
      g_list_store_splice (self->shown, position, MIN (removed, shown - position),
                           changed->pdata, added);
    }

  /* The first few at once, so the row never shows an empty strip. */
  if (self->catch_up_id == 0 && catching_up (self) && catch_up_cb (self) == G_SOURCE_CONTINUE)
    self->catch_up_id = g_idle_add (catch_up_cb, self);
}

static void
images_changed_cb (TtdSlideshowRow *self)
{
  guint n = g_list_model_get_n_items (images (self));

  /* Thumbnails arrive later; follow each picture's. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TtdUploadItem) image = g_list_model_get_item (images (self), i);

      if (g_object_get_data (G_OBJECT (image), "ttd-slideshow-row") != self)
        {
          g_object_set_data (G_OBJECT (image), "ttd-slideshow-row", self);
          g_signal_connect_object (image, "notify::thumbnail", G_CALLBACK (update_header), self,
                                   G_CONNECT_SWAPPED);
        }
    }

  update_header (self);
  update_tiles (self);
}

static void
retry_clicked_cb (TtdSlideshowRow *self)
{
  g_signal_emit (self, signals[SIGNAL_RETRY], 0, self->item);
}

static void
remove_clicked_cb (TtdSlideshowRow *self)
{
  g_signal_emit (self, signals[SIGNAL_REMOVE], 0, self->item);
}

static void
ttd_slideshow_row_dispose (GObject *object)
{
  TtdSlideshowRow *self = TTD_SLIDESHOW_ROW (object);

  g_clear_handle_id (&self->catch_up_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TTD_TYPE_SLIDESHOW_ROW);
  g_clear_object (&self->shown);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (ttd_slideshow_row_parent_class)->dispose (object);
}

static void
ttd_slideshow_row_class_init (TtdSlideshowRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ttd_slideshow_row_dispose;

  signals[SIGNAL_REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, TTD_TYPE_UPLOAD_ITEM);
  signals[SIGNAL_RETRY] = g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, TTD_TYPE_UPLOAD_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/cofndrly/TikTokDrafts/ui/ttd-slideshow-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TtdSlideshowRow, thumbnail_stack);
  gtk_widget_class_bind_template_child (widget_class, TtdSlideshowRow, thumbnail);
  gtk_widget_class_bind_template_child (widget_class, TtdSlideshowRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, TtdSlideshowRow, progress);
  gtk_widget_class_bind_template_child (widget_class, TtdSlideshowRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, TtdSlideshowRow, state_stack);
  gtk_widget_class_bind_template_child (widget_class, TtdSlideshowRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, TtdSlideshowRow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, TtdSlideshowRow, images_box);
  gtk_widget_class_bind_template_child (widget_class, TtdSlideshowRow, text_box);
  gtk_widget_class_bind_template_child (widget_class, TtdSlideshowRow, title_counter);
  gtk_widget_class_bind_template_child (widget_class, TtdSlideshowRow, title_entry);
  gtk_widget_class_bind_template_child (widget_class, TtdSlideshowRow, description_counter);
  gtk_widget_class_bind_template_child (widget_class, TtdSlideshowRow, description_view);
  gtk_widget_class_bind_template_callback (widget_class, title_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, description_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);

  g_type_ensure (TTD_TYPE_IMAGE_TILE);
}

static void
ttd_slideshow_row_init (TtdSlideshowRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  update_counter (self->title_counter, "", TTD_SLIDESHOW_TITLE_MAX);
  update_counter (self->description_counter, "", TTD_SLIDESHOW_DESCRIPTION_MAX);
}

GtkWidget *
ttd_slideshow_row_new (TtdUploadItem *slideshow)
{
  TtdSlideshowRow *self;
  const char *title;
  const char *description;

  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (slideshow), NULL);
  g_return_val_if_fail (ttd_upload_item_get_kind (slideshow) == TTD_UPLOAD_ITEM_SLIDESHOW, NULL);

  self = g_object_new (TTD_TYPE_SLIDESHOW_ROW, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Photo Slideshow"), -1);

  /* Fill the fields before taking the item, so they do not write back. */
  title = ttd_upload_item_get_title (slideshow);
  description = ttd_upload_item_get_description (slideshow);
  gtk_editable_set_text (GTK_EDITABLE (self->title_entry), title ? title : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->description_view),
                            description ? description : "", -1);
  self->item = g_object_ref (slideshow);

  self->shown = g_list_store_new (TTD_TYPE_UPLOAD_ITEM);
  gtk_flow_box_bind_model (self->images_box, G_LIST_MODEL (self->shown), create_tile_cb, self, NULL);
  g_signal_connect_object (images (self), "items-changed", G_CALLBACK (follow_images_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (images (self), "items-changed", G_CALLBACK (images_changed_cb), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect_object (slideshow, "notify::state", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (slideshow, "notify::status", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (slideshow, "notify::error", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (slideshow, "notify::fraction", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (slideshow, "notify::account-name", G_CALLBACK (update_header), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (slideshow, "notify::thumbnail", G_CALLBACK (update_header), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (slideshow, "notify::cover-index", G_CALLBACK (update_tiles), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (slideshow, "notify::title", G_CALLBACK (follow_text_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (slideshow, "notify::description", G_CALLBACK (follow_text_cb), self,
                           G_CONNECT_SWAPPED);

  follow_images_cb (self, 0, 0, g_list_model_get_n_items (images (self)));
  images_changed_cb (self);
  update_state (self);

  return GTK_WIDGET (self);
}

TtdUploadItem *
ttd_slideshow_row_get_item (TtdSlideshowRow *self)
{
  g_return_val_if_fail (TTD_IS_SLIDESHOW_ROW (self), NULL);

  return self->item;
}
