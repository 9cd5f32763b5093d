/* ttd-window.c — the main window: sign in, drop media, send to drafts
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A view of the application's TtdDraftSession (a window made without the
 * application has one of its own): it shows the session's items and calls
 * it for what the creator does. The window is split across files that share
 * ttd-window-private.h: ttd-window-account.c (sign in and out, avatar),
 * ttd-window-dnd.c (drops, paste, Browse) and ttd-window-actions.c (Send,
 * Stop, Retry, and how a send went).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ttd-application.h"
#include "ttd-media-row.h"
#include "ttd-slideshow-row.h"
#include "ttd-window-private.h"

G_DEFINE_FINAL_TYPE (TtdWindow, ttd_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The widgets on the pages built on first use (ttd-window-pages.ui) that the
 * window keeps pointers to, by their id there. */
#define PAGE_WIDGET(member) { #member, G_STRUCT_OFFSET (TtdWindow, member) }
static const struct {
  const char *id;
  glong       offset;
} page_widgets[] = {
  PAGE_WIDGET (signed_out_page),
  PAGE_WIDGET (sign_in_button),
  PAGE_WIDGET (browse_button),
  PAGE_WIDGET (waiting_label),
  PAGE_WIDGET (sign_in_uri_label),
  PAGE_WIDGET (sign_in_problem_label),
  PAGE_WIDGET (queue_list),
  PAGE_WIDGET (photo_host_notice),
  PAGE_WIDGET (photo_host_label),
  PAGE_WIDGET (video_note),
  PAGE_WIDGET (summary_label),
  PAGE_WIDGET (send_stack),
  PAGE_WIDGET (send_button),
};
#undef PAGE_WIDGET

static void
ttd_window_dispose (GObject *object)
{
  TtdWindow *self = TTD_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->account_cancellable);
  g_cancellable_cancel (self->sign_in_cancellable);
  if (self->auth_flow != NULL)
    ttd_auth_flow_stop (self->auth_flow);
  if (self->session != NULL)
    {
      /* What changed in the last moments is written now; quitting waits. */
      ttd_draft_session_save_now (self->session);
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_signal_handlers_disconnect_by_data (self->items, self);
    }
  if (self->help_overlay != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->help_overlay), (gpointer *) &self->help_overlay);
      gtk_window_destroy (g_steal_pointer (&self->help_overlay));
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), TTD_TYPE_WINDOW);
  /* The pages went with main_stack. */
  for (guint i = 0; i < G_N_ELEMENTS (page_widgets); i++)
    G_STRUCT_MEMBER (gpointer, self, page_widgets[i].offset) = NULL;

  g_clear_object (&self->settings);
  g_clear_object (&self->account);
  g_clear_pointer (&self->user_info, ttd_user_info_free);
  self->items = NULL;
  g_clear_object (&self->session);
  g_clear_object (&self->account_cancellable);
  g_clear_object (&self->sign_in_account);
  g_clear_object (&self->account_actions);
  g_clear_pointer (&self->account_names, g_hash_table_unref);
  g_clear_handle_id (&self->account_names_idle, g_source_remove);
  g_clear_object (&self->auth_flow);
  g_clear_object (&self->sign_in_cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ttd_window_parent_class)->dispose (object);
}

static gboolean
ttd_window_close_request (GtkWindow *window)
{
  if (_ttd_window_close_request (TTD_WINDOW (window)))
    return TRUE;

  return GTK_WINDOW_CLASS (ttd_window_parent_class)->close_request (window);
}

/* The shortcuts window is built the first time it is asked for, not with
 * every window (GtkApplication would, from gtk/help-overlay.ui, before the
 * window's first frame). */
static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  TtdWindow *self = TTD_WINDOW (widget);

  if (self->help_overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = NULL;

      builder = gtk_builder_new_from_resource ("/org/cofndrly/TikTokDrafts/ui/help-overlay.ui");
      self->help_overlay = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_window_set_transient_for (self->help_overlay, GTK_WINDOW (self));
      gtk_window_set_modal (self->help_overlay, TRUE);
      gtk_window_set_hide_on_close (self->help_overlay, TRUE);
      gtk_window_set_destroy_with_parent (self->help_overlay, TRUE);
      g_object_add_weak_pointer (G_OBJECT (self->help_overlay), (gpointer *) &self->help_overlay);
    }

  gtk_window_present (self->help_overlay);
}

static void ttd_window_constructed (GObject *object);

static void
ttd_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TtdWindow *self = TTD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ttd_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TtdWindow *self = TTD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ttd_window_class_init (TtdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = ttd_window_constructed;
  object_class->dispose = ttd_window_dispose;
  object_class->get_property = ttd_window_get_property;
  object_class->set_property = ttd_window_set_property;
  window_class->close_request = ttd_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/cofndrly/TikTokDrafts/ui/ttd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TtdWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TtdWindow, demo_revealer);
  gtk_widget_class_bind_template_child (widget_class, TtdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TtdWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TtdWindow, account_button);
  gtk_widget_class_bind_template_child (widget_class, TtdWindow, account_avatar);
  gtk_widget_class_bind_template_child (widget_class, TtdWindow, account_name);

  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL,
                                   show_help_overlay_action);

  /**
   * TtdWindow:session:
   *
   * What the window shows and works on: the application's session, unless
   * one is given; a window without an application has its own.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TTD_TYPE_DRAFT_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  _ttd_window_account_class_init (widget_class);
  _ttd_window_actions_class_init (widget_class);
  _ttd_window_dnd_class_init (widget_class);

  g_type_ensure (TTD_TYPE_MEDIA_ROW);
  g_type_ensure (TTD_TYPE_SLIDESHOW_ROW);
}

static void
row_remove_cb (TtdWindow     *self,
               TtdUploadItem *item)
{
  ttd_draft_session_remove_item (self->session, item);
}

static void
row_retry_cb (TtdWindow     *self,
              TtdUploadItem *item)
{
  _ttd_window_retry_item (self, item);
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  TtdWindow *self = user_data;
  GtkWidget *row;

  if (ttd_upload_item_get_kind (item) == TTD_UPLOAD_ITEM_SLIDESHOW)
    row = ttd_slideshow_row_new (item);
  else
    row = ttd_media_row_new (item);

  g_signal_connect_object (row, "remove", G_CALLBACK (row_remove_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "retry", G_CALLBACK (row_retry_cb), self, G_CONNECT_SWAPPED);

  return row;
}

/* The window opens on "checking"; the other pages are built, styled and
 * measured the first time one of them is needed, which is after the first
 * frame unless the account is ready before it. */
void
_ttd_window_ensure_pages (TtdWindow *self)
{
  static const struct {
    const char *name;
    const char *id;
  } pages[] = {
    { "no-credentials", "no_credentials_page" },
    { "signed-out", "signed_out_page" },
    { "signing-in", "signing_in_page" },
    { "empty", "empty_page" },
    { "queue", "queue_page" },
  };
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->pages_built || self->main_stack == NULL)
    return;
  self->pages_built = TRUE;

  builder = gtk_builder_new_from_resource ("/org/cofndrly/TikTokDrafts/ui/ttd-window-pages.ui");
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    gtk_stack_add_named (self->main_stack, GTK_WIDGET (gtk_builder_get_object (builder, pages[i].id)),
                         pages[i].name);

  for (guint i = 0; i < G_N_ELEMENTS (page_widgets); i++)
    G_STRUCT_MEMBER (gpointer, self, page_widgets[i].offset) =
      gtk_builder_get_object (builder, page_widgets[i].id);

  gtk_list_box_bind_model (self->queue_list, self->items,
                           create_row_cb, self, NULL);
}

static void
item_changed_cb (TtdWindow *self)
{
  _ttd_window_update (self);
}

static void
items_changed_cb (TtdWindow  *self,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GListModel *model)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (model, i);

      /* Any change to an item can change what Send may do. */
      g_signal_connect_object (item, "notify", G_CALLBACK (item_changed_cb), self,
                               G_CONNECT_SWAPPED);
      if (ttd_upload_item_get_kind (item) == TTD_UPLOAD_ITEM_SLIDESHOW)
        g_signal_connect_object (ttd_upload_item_get_images (item), "items-changed",
                                 G_CALLBACK (item_changed_cb), self, G_CONNECT_SWAPPED);
    }

  if (added > 0)
    _ttd_window_label_item_accounts (self);
  _ttd_window_update (self);
}

static void
message_cb (TtdWindow       *self,
            const char      *message,
            TtdDraftSession *session)
{
  _ttd_window_toast (self, message);
}

static void
ttd_window_init (TtdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  _ttd_window_account_init (self);

  /* The schema id is the base id in .Devel builds too. */
  self->settings = g_settings_new (BASE_APP_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  self->demo = g_strcmp0 (g_getenv (TTD_ENV_DEMO), "1") == 0;
  gtk_revealer_set_reveal_child (self->demo_revealer, self->demo);
  if (self->demo)
    adw_window_title_set_subtitle (self->window_title, _("Demo Mode"));

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  _ttd_window_dnd_init (self);
}

static void
ttd_window_constructed (GObject *object)
{
  TtdWindow *self = TTD_WINDOW (object);
  guint n_items;

  G_OBJECT_CLASS (ttd_window_parent_class)->constructed (object);

  if (self->session == NULL)
    {
      self->session = ttd_draft_session_new (NULL);
      ttd_draft_session_restore (self->session);
    }

  self->items = ttd_draft_session_get_items (self->session);
  g_signal_connect_object (self->items, "items-changed", G_CALLBACK (items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::sending", G_CALLBACK (item_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "message", G_CALLBACK (message_cb), self,
                           G_CONNECT_SWAPPED);
  _ttd_window_actions_init (self);

  /* What the session had before this window came. */
  n_items = g_list_model_get_n_items (self->items);
  if (n_items > 0)
    items_changed_cb (self, 0, 0, n_items, self->items);

  _ttd_window_set_account_state (self, TTD_ACCOUNT_STATE_CHECKING);
}

/**
 * ttd_window_new:
 * @application: (nullable): the application
 *
 * Returns: (transfer none): a window on the application's session, or on
 *   a session of its own (restored from the queue) without one
 */
TtdWindow *
ttd_window_new (GtkApplication *application)
{
  TtdDraftSession *session = NULL;

  if (TTD_IS_APPLICATION (application))
    session = ttd_application_get_session (TTD_APPLICATION (application));

  return g_object_new (TTD_TYPE_WINDOW,
                       "application", application,
                       "session", session,
                       NULL);
}

void
_ttd_window_toast (TtdWindow  *self,
                   const char *message)
{
  AdwToast *toast;

  g_return_if_fail (TTD_IS_WINDOW (self));

  toast = adw_toast_new (message);
  /* Error sentences can be long; let them wrap in the toast's own way. */
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* NULL when photos can be sent; otherwise one sentence saying why not. */
const char *
_ttd_window_photo_host_problem (TtdWindow *self)
{
  return ttd_draft_session_photo_host_problem (self->account);
}

void
_ttd_window_set_account_state (TtdWindow       *self,
                               TtdAccountState  state)
{
  self->account_state = state;
  _ttd_window_update (self);

  /* Otherwise the status page's selectable description takes the focus. */
  if (state == TTD_ACCOUNT_STATE_SIGNED_OUT)
    gtk_widget_grab_focus (self->sign_in_button);
  else if (state == TTD_ACCOUNT_STATE_SIGNED_IN &&
           g_list_model_get_n_items (G_LIST_MODEL (self->items)) == 0)
    gtk_widget_grab_focus (self->browse_button);

  /* The session sends with the signed-in account, and continues what a
   * crash or quit interrupted once there is one. */
  if (self->session != NULL)
    ttd_draft_session_set_account (self->session,
                                   state == TTD_ACCOUNT_STATE_SIGNED_IN ? self->account : NULL);

  if (state == TTD_ACCOUNT_STATE_SIGNED_IN)
    _ttd_window_refresh_accounts (self);
}

static const char *
page_for_state (TtdWindow *self,
                guint      n_items)
{
  switch (self->account_state)
    {
    case TTD_ACCOUNT_STATE_CHECKING:
      return "checking";
    case TTD_ACCOUNT_STATE_NO_CREDENTIALS:
      return "no-credentials";
    case TTD_ACCOUNT_STATE_SIGNED_OUT:
      return "signed-out";
    case TTD_ACCOUNT_STATE_SIGNING_IN:
      return "signing-in";
    case TTD_ACCOUNT_STATE_SIGNED_IN:
    default:
      return n_items > 0 ? "queue" : "empty";
    }
}

typedef struct
{
  guint  n_items;
  guint  n_videos;
  guint  n_photos;
  guint  n_unsent_photos;
  guint  n_sendable;
  guint  n_sent;
  gint64 bytes;
} Counts;

/* The labels and notices on the pages other than "checking". */
static void
update_pages (TtdWindow    *self,
              const Counts *counts,
              const char   *photo_problem,
              gboolean      sending)
{
  gboolean signed_in = self->account_state == TTD_ACCOUNT_STATE_SIGNED_IN;
  g_autoptr(GString) summary = g_string_new (NULL);

  gtk_widget_set_visible (self->photo_host_notice, counts->n_unsent_photos > 0 && photo_problem != NULL);
  if (photo_problem != NULL)
    gtk_label_set_label (self->photo_host_label, photo_problem);
  gtk_widget_set_visible (self->video_note, counts->n_videos > 0);

  if (counts->n_items > 0 && !signed_in)
    {
      g_autofree char *waiting = NULL;

      waiting = g_strdup_printf (ngettext ("%u item is waiting to be sent.",
                                           "%u items are waiting to be sent.", counts->n_items),
                                 counts->n_items);
      gtk_label_set_label (self->waiting_label, waiting);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->waiting_label), counts->n_items > 0 && !signed_in);

  if (counts->n_videos > 0)
    g_string_append_printf (summary, ngettext ("%u video", "%u videos", counts->n_videos),
                            counts->n_videos);
  if (counts->n_photos > 0)
    {
      if (summary->len > 0)
        g_string_append (summary, " · ");
      g_string_append_printf (summary, ngettext ("%u photo", "%u photos", counts->n_photos),
                              counts->n_photos);
    }
  if (counts->bytes > 0)
    {
      g_autofree char *size = g_format_size (counts->bytes);

      /* Translators: the size of what is left to send, e.g. "12.3 MB to send" */
      g_string_append_printf (summary, _(" · %s to send"), size);
    }
  else if (counts->n_sent > 0 && counts->n_sent == counts->n_items)
    {
      g_string_append (summary, " · ");
      g_string_append (summary, _("all sent"));
    }
  gtk_label_set_label (self->summary_label, summary->str);

  gtk_stack_set_visible_child_name (self->send_stack, sending ? "stop" : "send");
}

/* Brings everything that depends on the account, the queue and the sending
 * state up to date; cheap, so it runs on every change. */
void
_ttd_window_update (TtdWindow *self)
{
  GListModel *items;
  Counts counts = { 0, };
  gboolean signed_in = self->account_state == TTD_ACCOUNT_STATE_SIGNED_IN;
  const char *photo_problem = _ttd_window_photo_host_problem (self);
  gboolean sending;

  if (self->items == NULL)
    return;

  items = self->items;
  sending = ttd_draft_session_get_sending (self->session);
  counts.n_items = g_list_model_get_n_items (items);

  for (guint i = 0; i < counts.n_items; i++)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (items, i);
      gboolean slideshow = ttd_upload_item_get_kind (item) == TTD_UPLOAD_ITEM_SLIDESHOW;

      if (slideshow)
        {
          guint n = g_list_model_get_n_items (G_LIST_MODEL (ttd_upload_item_get_images (item)));

          counts.n_photos += n;
          if (ttd_upload_item_get_state (item) != TTD_QUEUE_STATE_DONE)
            counts.n_unsent_photos += n;
        }
      else
        counts.n_videos++;

      if (ttd_upload_item_get_state (item) == TTD_QUEUE_STATE_DONE)
        counts.n_sent++;
      else
        counts.bytes += ttd_upload_item_get_total_size (item);

      if (ttd_upload_item_is_sendable (item) && !(slideshow && photo_problem != NULL))
        counts.n_sendable++;
    }

  /* While the window only says "Checking Sign-In…", its other pages need not exist. */
  if (self->account_state != TTD_ACCOUNT_STATE_CHECKING || counts.n_items > 0)
    _ttd_window_ensure_pages (self);
  if (self->pages_built)
    update_pages (self, &counts, photo_problem, sending);

  gtk_stack_set_visible_child_name (self->main_stack, page_for_state (self, counts.n_items));
  gtk_widget_set_visible (GTK_WIDGET (self->account_button), signed_in);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.send-to-drafts",
                                 signed_in && !sending && counts.n_sendable > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop-sending", sending);
  /* Signed in, a sign-in adds another account (the account menu's "Add"). */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-in",
                                 self->account_state == TTD_ACCOUNT_STATE_SIGNED_OUT ||
                                 (signed_in && !sending));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->account_actions),
                                                                            "add")),
                               signed_in && !sending);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", signed_in && !sending);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-sign-in",
                                 self->account_state == TTD_ACCOUNT_STATE_SIGNING_IN);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.clear-sent", counts.n_sent > 0);
}

gboolean
ttd_window_is_sending (TtdWindow *self)
{
  g_return_val_if_fail (TTD_IS_WINDOW (self), FALSE);

  return ttd_draft_session_get_sending (self->session);
}
