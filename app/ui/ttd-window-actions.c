/* ttd-window-actions.c — Send, Stop, Retry and Clear, and how a send went
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The session sends (ttd-draft-session-send.c); the window offers the
 * actions, says how a send went in a toast (and a notification when the
 * window is not in front), and asks before closing while sending.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ttd-window-private.h"

static void
send_notification (TtdWindow *self,
                   guint      n_sent,
                   guint      n_failed)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;

  if (app == NULL || gtk_window_is_active (GTK_WINDOW (self)))
    return;

  if (n_failed == 0)
    {
      notification = g_notification_new (_("Sent to TikTok Drafts"));
      body = g_strdup_printf (ngettext ("%u draft is in your TikTok inbox. Open TikTok to finish the post.",
                                        "%u drafts are in your TikTok inbox. Open TikTok to finish the posts.",
                                        n_sent), n_sent);
    }
  else
    {
      notification = g_notification_new (_("Some Items Were Not Sent"));
      body = g_strdup_printf (ngettext ("%u item could not be sent; open TikTok Drafts to retry.",
                                        "%u items could not be sent; open TikTok Drafts to retry.",
                                        n_failed), n_failed);
    }

  g_notification_set_body (notification, body);
  g_notification_set_default_action (notification, "app.activate");
  g_application_send_notification (app, "send-result", notification);
}

static void
send_finished_cb (TtdWindow       *self,
                  guint            n_sent,
                  guint            n_failed,
                  gboolean         stopped,
                  TtdDraftSession *session)
{
  if (stopped)
    _ttd_window_toast (self, _("Sending stopped; what was not sent is still in the list"));
  else if (n_sent + n_failed > 0)
    {
      g_autofree char *message = NULL;

      if (n_failed == 0)
        message = g_strdup_printf (ngettext ("%u draft sent to your TikTok inbox",
                                             "%u drafts sent to your TikTok inbox",
                                             n_sent), n_sent);
      else
        message = g_strdup_printf (ngettext ("%u item could not be sent",
                                             "%u items could not be sent",
                                             n_failed), n_failed);
      _ttd_window_toast (self, message);
      send_notification (self, n_sent, n_failed);
    }
}

static void
send_to_drafts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TtdWindow *self = TTD_WINDOW (widget);

  if (self->account_state == TTD_ACCOUNT_STATE_SIGNED_IN)
    ttd_draft_session_send (self->session);
}

static void
stop_sending_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ttd_draft_session_stop (TTD_WINDOW (widget)->session);
}

static void
clear_sent_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ttd_draft_session_clear_sent (TTD_WINDOW (widget)->session);
}

void
_ttd_window_retry_item (TtdWindow     *self,
                        TtdUploadItem *item)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TTD_IS_WINDOW (self));

  if (self->account_state == TTD_ACCOUNT_STATE_SIGNED_IN &&
      !ttd_draft_session_retry (self->session, item, &error))
    _ttd_window_toast (self, error->message);
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
  ttd_draft_session_stop (self->session);
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

  if (!ttd_draft_session_get_sending (self->session) || self->close_confirmed)
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
_ttd_window_actions_init (TtdWindow *self)
{
  g_signal_connect_object (self->session, "send-finished", G_CALLBACK (send_finished_cb), self,
                           G_CONNECT_SWAPPED);
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
