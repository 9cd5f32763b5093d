/* ttd-media-row.c — a video draft in the queue
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ttd-media-row.h"

struct _TtdMediaRow
{
  GtkListBoxRow   parent_instance;

  /* Template widgets */
  GtkStack       *thumbnail_stack;
  GtkImage       *thumbnail;
  GtkLabel       *name_label;
  GtkLabel       *details_label;
  GtkProgressBar *progress;
  GtkLabel       *status_label;
  GtkStack       *state_stack;
  GtkWidget      *retry_button;
  GtkWidget      *remove_button;

  /* Owned references */
  TtdUploadItem  *item;
};

G_DEFINE_FINAL_TYPE (TtdMediaRow, ttd_media_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  SIGNAL_REMOVE,
  SIGNAL_RETRY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Progress bar, status line and the icon at the end, the same for videos
 * and slideshows. */
void
_ttd_show_item_state (TtdUploadItem  *item,
                      GtkProgressBar *progress,
                      GtkLabel       *status,
                      GtkStack       *state_stack,
                      GtkWidget      *retry_button,
                      GtkWidget      *remove_button)
{
  TtdQueueState state = ttd_upload_item_get_state (item);
  const char *text = NULL;
  const char *problem = ttd_upload_item_get_problem (item);
  const char *page = "none";

  gtk_widget_remove_css_class (GTK_WIDGET (status), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (status), "success");

  switch (state)
    {
    case TTD_QUEUE_STATE_QUEUED:
      /* The status of a queued item says when TikTok lets it through. */
      text = problem ? problem : ttd_upload_item_get_status (item);
      if (problem != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (status), "error");
      break;
    case TTD_QUEUE_STATE_WAITING:
      text = _("Waiting to be sent");
      break;
    case TTD_QUEUE_STATE_SENDING:
    case TTD_QUEUE_STATE_PROCESSING:
      text = ttd_upload_item_get_status (item);
      page = "busy";
      break;
    case TTD_QUEUE_STATE_DONE:
      text = ttd_upload_item_get_status (item);
      gtk_widget_add_css_class (GTK_WIDGET (status), "success");
      page = "done";
      break;
    case TTD_QUEUE_STATE_FAILED:
      text = ttd_upload_item_get_error (item);
      gtk_widget_add_css_class (GTK_WIDGET (status), "error");
      page = "failed";
      break;
    default:
      break;
    }

  gtk_progress_bar_set_fraction (progress, ttd_upload_item_get_fraction (item));
  gtk_widget_set_visible (GTK_WIDGET (progress),
                          state == TTD_QUEUE_STATE_SENDING || state == TTD_QUEUE_STATE_PROCESSING);
  if (state == TTD_QUEUE_STATE_PROCESSING)
    gtk_widget_add_css_class (GTK_WIDGET (progress), "processing");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (progress), "processing");

  gtk_label_set_label (status, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (status), text != NULL && *text != '\0');
  gtk_stack_set_visible_child_name (state_stack, page);
  gtk_widget_set_visible (retry_button, state == TTD_QUEUE_STATE_FAILED);
  gtk_widget_set_visible (remove_button, !ttd_upload_item_is_busy (item));
}

static void
update_details (TtdMediaRow *self)
{
  g_autofree char *size = g_format_size (ttd_upload_item_get_size (self->item));
  g_autofree char *duration = ttd_format_duration (ttd_upload_item_get_duration_ms (self->item));
  g_autofree char *details = NULL;

  const char *account = ttd_upload_item_get_account_name (self->item);

  if (duration != NULL)
    /* Translators: size · duration, e.g. "12.3 MB · 0:42" */
    details = g_strdup_printf (_("%s · %s"), size, duration);
  else
    details = g_strdup (size);

  if (account != NULL)
    {
      g_autofree char *with = details;

      /* Translators: details · the TikTok account an item goes to, e.g. "12.3 MB · for Brand Studio" */
      details = g_strdup_printf (_("%s · for %s"), with, account);
    }

  gtk_label_set_label (self->details_label, details);
}

static void
update_thumbnail (TtdMediaRow *self)
{
  GdkPaintable *paintable = ttd_upload_item_get_thumbnail (self->item);

  gtk_image_set_from_paintable (self->thumbnail, paintable);
  gtk_stack_set_visible_child_name (self->thumbnail_stack, paintable ? "picture" : "icon");
}

static void
update_state (TtdMediaRow *self)
{
  _ttd_show_item_state (self->item, self->progress, self->status_label, self->state_stack,
                        self->retry_button, self->remove_button);
}

static void
retry_clicked_cb (TtdMediaRow *self)
{
  g_signal_emit (self, signals[SIGNAL_RETRY], 0, self->item);
}

static void
remove_clicked_cb (TtdMediaRow *self)
{
  g_signal_emit (self, signals[SIGNAL_REMOVE], 0, self->item);
}

static void
ttd_media_row_dispose (GObject *object)
{
  TtdMediaRow *self = TTD_MEDIA_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TTD_TYPE_MEDIA_ROW);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (ttd_media_row_parent_class)->dispose (object);
}

static void
ttd_media_row_class_init (TtdMediaRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ttd_media_row_dispose;

  signals[SIGNAL_REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, TTD_TYPE_UPLOAD_ITEM);
  signals[SIGNAL_RETRY] = g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, TTD_TYPE_UPLOAD_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/cofndrly/TikTokDrafts/ui/ttd-media-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TtdMediaRow, thumbnail_stack);
  gtk_widget_class_bind_template_child (widget_class, TtdMediaRow, thumbnail);
  gtk_widget_class_bind_template_child (widget_class, TtdMediaRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, TtdMediaRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, TtdMediaRow, progress);
  gtk_widget_class_bind_template_child (widget_class, TtdMediaRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, TtdMediaRow, state_stack);
  gtk_widget_class_bind_template_child (widget_class, TtdMediaRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, TtdMediaRow, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
}

static void
ttd_media_row_init (TtdMediaRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ttd_media_row_new (TtdUploadItem *item)
{
  TtdMediaRow *self;
  g_autofree char *remove_label = NULL;
  g_autofree char *retry_label = NULL;
  const char *name;

  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (item), NULL);

  self = g_object_new (TTD_TYPE_MEDIA_ROW, NULL);
  self->item = g_object_ref (item);
  name = ttd_upload_item_get_display_name (item);

  gtk_label_set_label (self->name_label, name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), name);

  remove_label = g_strdup_printf (_("Remove %s"), name);
  retry_label = g_strdup_printf (_("Retry sending %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->retry_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, retry_label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);

  g_signal_connect_object (item, "notify::state", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::status", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::error", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::problem", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::fraction", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::thumbnail", G_CALLBACK (update_thumbnail), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::account-name", G_CALLBACK (update_details), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::duration-ms", G_CALLBACK (update_details), self,
                           G_CONNECT_SWAPPED);

  update_details (self);
  update_thumbnail (self);
  update_state (self);

  return GTK_WIDGET (self);
}

TtdUploadItem *
ttd_media_row_get_item (TtdMediaRow *self)
{
  g_return_val_if_fail (TTD_IS_MEDIA_ROW (self), NULL);

  return self->item;
}
