/* ttd-window-actions.c — sending the queue to the TikTok drafts inbox
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Items are sent one after another: TikTok allows six upload inits a minute
 * and wants a video's chunks in order, so nothing is gained by running
 * several at once. Stop cancels the current item and leaves the rest queued.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ttd-window-private.h"
# include "ttd-photo-upload.h"
#include "ttd-sender.h"

static void send_next (TtdWindow *self);

static const char *
done_status (void)
{
  return _("In your TikTok inbox — open TikTok to finish the post");
}

static void
progress_cb (const TtdUploadProgress *progress,
             gpointer                 user_data)
{
  TtdUploadItem *item = user_data;
  g_autofree char *status = NULL;
  double fraction = 0;

  if (progress->bytes_total > 0)
    fraction = (double) progress->bytes_sent / (double) progress->bytes_total;

  if (progress->publish_id != NULL)
    ttd_upload_item_set_publish_id (item, progress->publish_id);

  switch (progress->phase)
    {
    case TTD_UPLOAD_PHASE_CHECKING:
      ttd_upload_item_set_status (item, _("Checking…"));
      break;

    case TTD_UPLOAD_PHASE_CONVERTING:
      status = g_strdup_printf (_("Preparing photo %d of %d…"),
                                (int) MIN (progress->bytes_sent + 1, progress->bytes_total),
                                (int) progress->bytes_total);
      ttd_upload_item_set_fraction (item, fraction);
      ttd_upload_item_set_status (item, status);
      break;

    case TTD_UPLOAD_PHASE_HOSTING:
    case TTD_UPLOAD_PHASE_SENDING:
      {
        g_autofree char *sent = g_format_size (progress->bytes_sent);
        g_autofree char *total = g_format_size (progress->bytes_total);

        /* Translators: "1.2 MB of 3.4 MB sent" */
        status = g_strdup_printf (progress->phase == TTD_UPLOAD_PHASE_HOSTING
                                  ? _("%s of %s sent to the photo host")
                                  : _("%s of %s sent"), sent, total);
        ttd_upload_item_set_state (item, TTD_UPLOAD_STATE_SENDING);
        ttd_upload_item_set_fraction (item, fraction);
        ttd_upload_item_set_status (item, status);
      }
      break;

    case TTD_UPLOAD_PHASE_STARTING:
      ttd_upload_item_set_status (item, _("Starting…"));
      break;

    case TTD_UPLOAD_PHASE_PROCESSING:
      ttd_upload_item_set_fraction (item, 1.0);
      ttd_upload_item_set_state (item, TTD_UPLOAD_STATE_PROCESSING);
      ttd_upload_item_set_status (item, _("Processing on TikTok"));
      break;

    case TTD_UPLOAD_PHASE_DONE:
    default:
      break;
    }
}

static void
send_notification (TtdWindow *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;

  if (app == NULL || gtk_window_is_active (GTK_WINDOW (self)))
    return;

  if (self->n_failed == 0)
    {
      notification = g_notification_new (_("Sent to TikTok Drafts"));
      body = g_strdup_printf (ngettext ("%u draft is in your TikTok inbox. Open TikTok to finish the post.",
                                        "%u drafts are in your TikTok inbox. Open TikTok to finish the posts.",
                                        self->n_sent), self->n_sent);
    }
  else
    {
      notification = g_notification_new (_("Some Items Were Not Sent"));
      body = g_strdup_printf (ngettext ("%u item could not be sent; open TikTok Drafts to retry.",
                                        "%u items could not be sent; open TikTok Drafts to retry.",
                                        self->n_failed), self->n_failed);
    }

  g_notification_set_body (notification, body);
  g_notification_set_default_action (notification, "app.activate");
  g_application_send_notification (app, "send-result", notification);
}

static void
finish_sending (TtdWindow *self,
                gboolean   stopped)
{
  GListModel *items = G_LIST_MODEL (self->items);

  /* What was waiting for its turn goes back to the queue. */
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (items, i);

      if (ttd_upload_item_get_state (item) == TTD_UPLOAD_STATE_WAITING)
        ttd_upload_item_set_state (item, TTD_UPLOAD_STATE_READY);
    }

  self->sending = FALSE;
  self->current = NULL;
  g_clear_object (&self->send_cancellable);

  if (stopped)
    _ttd_window_toast (self, _("Sending stopped; what was not sent is still in the list"));
  else if (self->n_sent + self->n_failed > 0)
    {
      g_autofree char *message = NULL;

      if (self->n_failed == 0)
        message = g_strdup_printf (ngettext ("%u draft sent to your TikTok inbox",
                                             "%u drafts sent to your TikTok inbox",
                                             self->n_sent), self->n_sent);
      else
        message = g_strdup_printf (ngettext ("%u item could not be sent",
                                             "%u items could not be sent",
                                             self->n_failed), self->n_failed);
      _ttd_window_toast (self, message);
      send_notification (self);
    }

  _ttd_window_update (self);
}

static void
upload_done (TtdWindow       *self,
             TtdUploadItem   *item,
             TtdUploadResult *upload,
             GError          *error)
{
  gboolean stopped = FALSE;

  if (upload != NULL && upload->publish_id != NULL)
    ttd_upload_item_set_publish_id (item, upload->publish_id);

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* The queue keeps where it stopped: sending it again continues
           * the upload, or checks on the draft TikTok was processing,
           * without making a second one. */
          ttd_upload_item_set_state (item, TTD_UPLOAD_STATE_READY);
          stopped = TRUE;
        }
      else
        {
          /* Core messages are sentences for the user already. */
          ttd_upload_item_fail (item, error->message);
          self->n_failed++;
        }
    }
  else if (ttd_upload_result_succeeded (upload))
    {
      ttd_upload_item_set_fraction (item, 1.0);
      ttd_upload_item_set_state (item, TTD_UPLOAD_STATE_DONE);
      ttd_upload_item_set_status (item, done_status ());
      self->n_sent++;
    }
  else
    {
      g_autofree char *reason = ttd_error_describe_fail_reason (upload->fail_reason);

      ttd_upload_item_fail (item, reason);
      self->n_failed++;
    }

  if (item == self->current)
    self->current = NULL;

  if (stopped || self->send_cancellable == NULL || g_cancellable_is_cancelled (self->send_cancellable))
    finish_sending (self, TRUE);
  else
    send_next (self);
}

static void
send_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TtdWindow) self = NULL;
  g_autoptr(TtdUploadItem) item = user_data;
  g_autoptr(TtdUploadResult) upload = NULL;
  g_autoptr(GError) error = NULL;

  upload = ttd_send_queue_item_finish (TTD_ACCOUNT (object), result, &error);
  self = g_object_steal_data (G_OBJECT (item), "ttd-window");
  if (self == NULL || self->items == NULL)
    return;

  upload_done (self, item, upload, error);
}

static TtdSlideshow *
build_slideshow (TtdUploadItem *item)
{
  g_autoptr(TtdSlideshow) slideshow = ttd_slideshow_new ();
  GListModel *images = G_LIST_MODEL (ttd_upload_item_get_images (item));
  const char *title = ttd_upload_item_get_title (item);
  const char *description = ttd_upload_item_get_description (item);

  for (guint i = 0; i < g_list_model_get_n_items (images); i++)
    {
      g_autoptr(TtdUploadItem) image = g_list_model_get_item (images, i);

      g_ptr_array_add (slideshow->images, g_object_ref (ttd_upload_item_get_file (image)));
    }

  slideshow->title = (title && *title) ? g_strdup (title) : NULL;
  slideshow->description = (description && *description) ? g_strdup (description) : NULL;
  slideshow->cover_index = ttd_upload_item_get_cover_index (item);

  return g_steal_pointer (&slideshow);
}

static void
start_item (TtdWindow     *self,
            TtdUploadItem *item)
{
  self->current = item;
  ttd_upload_item_set_state (item, TTD_UPLOAD_STATE_SENDING);
  ttd_upload_item_set_status (item, _("Starting…"));
  /* The window rides along on the item so the callback can find it, and so
   * it stays alive until the upload has finished. */
  g_object_set_data_full (G_OBJECT (item), "ttd-window", g_object_ref (self), g_object_unref);

  if (ttd_upload_item_get_kind (item) == TTD_UPLOAD_ITEM_SLIDESHOW)
    {
      g_autoptr(TtdSlideshow) slideshow = build_slideshow (item);
      g_autoptr(GError) error = NULL;

      if (!ttd_photo_host_check (ttd_account_get_config (self->account), &error) ||
          !ttd_slideshow_check (slideshow, &error))
        {
          g_object_set_data (G_OBJECT (item), "ttd-window", NULL);
          upload_done (self, item, NULL, error);
          return;
        }
    }

  /* Recorded in the queue first, then sent; the sender keeps the queue up
   * to date from there, so a crash or quit loses nothing. */
  {
    g_autoptr(TtdQueueItem) snapshot = _ttd_window_queue_snapshot (item);

    ttd_send_queue_snapshot_async (self->account, self->queue, snapshot, TTD_UPLOAD_FLAGS_WAIT,
                                   progress_cb, g_object_ref (item), g_object_unref,
                                   self->send_cancellable,
                                   send_done_cb, g_object_ref (item));
  }
}

static void
send_next (TtdWindow *self)
{
  GListModel *items = G_LIST_MODEL (self->items);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (items, i);

      if (ttd_upload_item_get_state (item) == TTD_UPLOAD_STATE_WAITING)
        {
          start_item (self, item);
          _ttd_window_update (self);
          return;
        }
    }

  finish_sending (self, FALSE);
  /* Items restored while this send ran go next. */
  _ttd_window_queue_resume (self);
}

static void
start_sending (TtdWindow *self)
{
  self->sending = TRUE;
  self->n_sent = 0;
  self->n_failed = 0;
  g_clear_object (&self->send_cancellable);
  self->send_cancellable = g_cancellable_new ();
  _ttd_window_update (self);
  send_next (self);
}

static gboolean
can_send_item (TtdWindow     *self,
               TtdUploadItem *item)
{
  if (!ttd_upload_item_is_sendable (item))
    return FALSE;

  return ttd_upload_item_get_kind (item) != TTD_UPLOAD_ITEM_SLIDESHOW ||
         _ttd_window_photo_host_problem (self) == NULL;
}

static void
send_to_drafts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TtdWindow *self = TTD_WINDOW (widget);
  GListModel *items = G_LIST_MODEL (self->items);
  guint n_waiting = 0;

  if (self->sending || self->account == NULL ||
      self->account_state != TTD_ACCOUNT_STATE_SIGNED_IN)
    return;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (items, i);

      if (can_send_item (self, item))
        {
          ttd_upload_item_set_state (item, TTD_UPLOAD_STATE_WAITING);
          n_waiting++;
        }
    }

  if (n_waiting > 0)
    start_sending (self);
}

static void
stop_sending_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TtdWindow *self = TTD_WINDOW (widget);

  if (self->send_cancellable != NULL)
    g_cancellable_cancel (self->send_cancellable);
}

static void
clear_sent_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TtdWindow *self = TTD_WINDOW (widget);
  GListModel *items = G_LIST_MODEL (self->items);

  for (guint i = g_list_model_get_n_items (items); i > 0; i--)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (items, i - 1);

      if (ttd_upload_item_get_state (item) == TTD_UPLOAD_STATE_DONE)
        g_list_store_remove (self->items, i - 1);
    }
}

void
_ttd_window_retry_item (TtdWindow     *self,
                        TtdUploadItem *item)
{
  g_return_if_fail (TTD_IS_WINDOW (self));

  if (ttd_upload_item_get_state (item) != TTD_UPLOAD_STATE_FAILED ||
      self->account_state != TTD_ACCOUNT_STATE_SIGNED_IN)
    return;

  if (!can_send_item (self, item))
    {
      const char *problem = ttd_upload_item_get_problem (item);

      if (problem == NULL && ttd_upload_item_get_kind (item) == TTD_UPLOAD_ITEM_SLIDESHOW)
        problem = _ttd_window_photo_host_problem (self);
      _ttd_window_toast (self, problem ? problem : _("This item cannot be sent as it is."));
      return;
    }

  /* Joins a send in progress, or starts one with just this item. */
  ttd_upload_item_set_state (item, TTD_UPLOAD_STATE_WAITING);
  if (!self->sending)
    start_sending (self);
}

void
_ttd_window_remove_item (TtdWindow     *self,
                         TtdUploadItem *item)
{
  GListModel *items = G_LIST_MODEL (self->items);

  g_return_if_fail (TTD_IS_WINDOW (self));

  if (ttd_upload_item_is_busy (item))
    return;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(TtdUploadItem) each = g_list_model_get_item (items, i);
      GListStore *images = ttd_upload_item_get_images (each);
      guint position;

      if (each == item)
        {
          g_list_store_remove (self->items, i);
          return;
        }

      /* A picture of a slideshow; the slideshow goes when its last one does. */
      if (images != NULL && !ttd_upload_item_is_busy (each) &&
          g_list_store_find (images, item, &position))
        {
          g_list_store_remove (images, position);
          if (g_list_model_get_n_items (G_LIST_MODEL (images)) == 0)
            g_list_store_remove (self->items, i);
          return;
        }
    }
}

static gboolean
close_idle_cb (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));

  return G_SOURCE_REMOVE;
}

static void
stop_dialog_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         TtdWindow        *self)
{
  if (g_strcmp0 (response, "stop") != 0)
    return;

  self->close_confirmed = TRUE;
  if (self->send_cancellable != NULL)
    g_cancellable_cancel (self->send_cancellable);
  /* Once the dialog is gone: it is transient for this window, and closing
   * the window from inside the dialog's response left the dialog pointing
   * at a finalized window. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle_cb, g_object_ref (self), g_object_unref);
}

/* Returns TRUE when closing must wait for the creator's answer. */
gboolean
_ttd_window_close_request (TtdWindow *self)
{
  GtkWidget *dialog;

  if (!self->sending || self->close_confirmed)
    return FALSE;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Stop Sending?"),
                                   _("Items that are not in your TikTok inbox yet stay queued and continue the next time you open TikTok Drafts."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Sending"),
                                    "stop", _("_Stop and Close"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "stop",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (stop_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

void
_ttd_window_actions_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.send-to-drafts", NULL, send_to_drafts_action);
  gtk_widget_class_install_action (widget_class, "win.stop-sending", NULL, stop_sending_action);
  gtk_widget_class_install_action (widget_class, "win.clear-sent", NULL, clear_sent_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "win.send-to-drafts", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "win.send-to-drafts", NULL);
}
