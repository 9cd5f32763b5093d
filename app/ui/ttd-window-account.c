/* ttd-window-account.c — signing in and out, and who is signed in
 *
 * The account button in the header shows the account the window sends
 * with; its menu lists every signed-in account (a radio item each, to
 * switch), adds another one and signs out of any of them. A switch makes
 * that account the default for the CLI too; items already sent keep going
 * to the account they were sent for.
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sign-in opens the system browser on TikTok's authorize page (through the
 * OpenURI portal inside Flatpak) while the core's loopback listener waits
 * for the redirect. The link is also shown with a Copy button, for when no
 * browser can be opened.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ttd-application.h"
#include "ttd-thumbnail.h"
#include "ttd-window-private.h"

#define AVATAR_PIXELS 64  /* shown at 24 px; enough for 2× scaling */

static void fetch_user_info (TtdWindow *self);

void
_ttd_window_set_user_info (TtdWindow         *self,
                           const TtdUserInfo *info,
                           GdkPaintable      *avatar)
{
  const char *name = NULL;
  g_autofree char *accessible = NULL;

  g_return_if_fail (TTD_IS_WINDOW (self));

  if (info != self->user_info)
    {
      g_clear_pointer (&self->user_info, ttd_user_info_free);
      if (info != NULL)
        self->user_info = ttd_user_info_copy (info);
    }

  if (self->user_info != NULL && self->user_info->display_name != NULL &&
      *self->user_info->display_name != '\0')
    name = self->user_info->display_name;
  else
    name = _("TikTok Account");

  gtk_label_set_label (self->account_name, name);
  adw_avatar_set_text (self->account_avatar, name);
  adw_avatar_set_custom_image (self->account_avatar, avatar);

  accessible = g_strdup_printf (_("Signed in as %s"), name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->account_button), accessible);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->account_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static void
avatar_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(TtdWindow) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = ttd_thumbnail_load_avatar_finish (result, &error);
  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No avatar: %s", error->message);
      return;
    }

  if (self->account_state == TTD_ACCOUNT_STATE_SIGNED_IN)
    adw_avatar_set_custom_image (self->account_avatar, GDK_PAINTABLE (texture));
}

static void
user_info_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TtdWindow) self = user_data;
  g_autoptr(TtdUserInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  TtdAccount *account = TTD_ACCOUNT (object);

  info = ttd_account_fetch_user_info_finish (account, result, &error);
  if (account != self->account)
    return;

  if (info == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      /* Only a refused sign-in means the account is gone; a network
       * problem leaves it signed in (sending will say what is wrong). */
      if (g_error_matches (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED) ||
          g_error_matches (error, TTD_ERROR, TTD_ERROR_TOKEN_INVALID))
        {
          _ttd_window_toast (self, error->message);
          _ttd_window_set_account_state (self, TTD_ACCOUNT_STATE_SIGNED_OUT);
        }
      else if (g_error_matches (error, TTD_ERROR, TTD_ERROR_CONFIG))
        _ttd_window_toast (self, error->message);   /* a setting to correct */
      else
        g_debug ("Could not fetch user info: %s", error->message);
      return;
    }

  _ttd_window_set_user_info (self, info, NULL);

  if (info->avatar_url != NULL && *info->avatar_url != '\0')
    ttd_thumbnail_load_avatar_async (ttd_api_client_get_session (ttd_account_get_client (account)),
                                     info->avatar_url, AVATAR_PIXELS, self->account_cancellable,
                                     avatar_loaded_cb, g_object_ref (self));
}

static void
fetch_user_info (TtdWindow *self)
{
  ttd_account_fetch_user_info_async (self->account, self->account_cancellable,
                                     user_info_cb, g_object_ref (self));
}

static void
account_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TtdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  TtdAccount *account = TTD_ACCOUNT (object);

  if (!ttd_account_load_finish (account, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || account != self->account)
        return;

      _ttd_window_toast (self, error->message);
    }

  if (account != self->account)
    return;

  if (ttd_account_is_signed_in (account))
    {
      _ttd_window_set_account_state (self, TTD_ACCOUNT_STATE_SIGNED_IN);
      fetch_user_info (self);
    }
  else
    _ttd_window_set_account_state (self, TTD_ACCOUNT_STATE_SIGNED_OUT);
}

static void
cancel_sign_in (TtdWindow *self)
{
  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  if (self->auth_flow != NULL)
    ttd_auth_flow_stop (self->auth_flow);
  g_clear_object (&self->auth_flow);
  g_clear_object (&self->sign_in_account);
}

/* Every signed-in account, or NULL for a window without the application's
 * (the UI tests'). */
static TtdAccounts *
get_accounts (TtdWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return TTD_IS_APPLICATION (app) ? ttd_application_get_accounts (TTD_APPLICATION (app)) : NULL;
}

/* Back from a sign-in that did not add an account: to the account still
 * signed in, if any. */
static void
leave_sign_in (TtdWindow *self)
{
  cancel_sign_in (self);
  _ttd_window_set_account_state (self, self->account != NULL && ttd_account_is_signed_in (self->account)
                                       ? TTD_ACCOUNT_STATE_SIGNED_IN
                                       : TTD_ACCOUNT_STATE_SIGNED_OUT);
}

/* Makes @account the one the application's windows show and send with. */
static void
use_account (TtdWindow  *self,
             TtdAccount *account)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  _ttd_window_set_user_info (self, NULL, NULL);
  if (TTD_IS_APPLICATION (app))
    ttd_application_use_account (TTD_APPLICATION (app), account);
  else
    ttd_window_set_account (self, account);
}

static GMenu *
build_accounts_menu (TtdWindow *self,
                     GPtrArray *infos)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) accounts = g_menu_new ();
  g_autoptr(GMenu) add = g_menu_new ();
  g_autoptr(GMenu) sign_out = g_menu_new ();
  g_autoptr(GMenu) more = g_menu_new ();

  for (guint i = 0; infos != NULL && i < infos->len; i++)
    {
      TtdAccountInfo *info = g_ptr_array_index (infos, i);
      g_autofree char *name = ttd_text_clean (info->display_name != NULL ? info->display_name
                                                                           : info->open_id, -1, FALSE);
      /* Labels are mnemonics: keep an underscore in a name as it is. */
      g_auto(GStrv) parts = g_strsplit (name, "_", -1);
      g_autofree char *escaped = g_strjoinv ("__", parts);
      g_autofree char *label = NULL;
      g_autoptr(GMenuItem) item = NULL;

      item = g_menu_item_new (escaped, NULL);
      g_menu_item_set_action_and_target_value (item, "account.switch", g_variant_new_string (info->open_id));
      g_menu_append_item (accounts, item);

      /* Translators: %s is a TikTok account's display name */
      label = g_strdup_printf (_("Sign Out of “%s”"), escaped);
      g_clear_object (&item);
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "account.sign-out", g_variant_new_string (info->open_id));
      g_menu_append_item (sign_out, item);
    }

  g_menu_append (add, _("_Add Another Account…"), "account.add");
  g_menu_append (more, _("_Preferences"), "app.preferences");

  g_menu_append_section (menu, _("TikTok Accounts"), G_MENU_MODEL (accounts));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (add));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (sign_out));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (more));

  return menu;
}

static void
accounts_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TtdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) infos = ttd_accounts_list_finish (TTD_ACCOUNTS (object), result, &error);
  g_autoptr(GMenu) menu = NULL;
  g_autofree char *current = NULL;
  GAction *action;

  if (infos == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not list the accounts: %s", error->message);
      return;
    }

  g_clear_pointer (&self->account_names, g_hash_table_unref);
  self->account_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < infos->len; i++)
    {
      TtdAccountInfo *info = g_ptr_array_index (infos, i);

      if (info->display_name != NULL)
        g_hash_table_insert (self->account_names, g_strdup (info->open_id),
                             ttd_text_clean (info->display_name, -1, FALSE));
    }
  _ttd_window_label_item_accounts (self);

  menu = build_accounts_menu (self, infos);
  gtk_menu_button_set_menu_model (self->account_button, G_MENU_MODEL (menu));

  current = self->account != NULL ? ttd_account_dup_open_id (self->account) : NULL;
  action = g_action_map_lookup_action (G_ACTION_MAP (self->account_actions), "switch");
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (current ? current : ""));
}

static gboolean
label_item_accounts_cb (gpointer data)
{
  TtdWindow *self = data;
  g_autofree char *current = self->account != NULL ? ttd_account_dup_open_id (self->account) : NULL;
  GListModel *items = self->items;

  self->account_names_idle = 0;
  for (guint i = 0; items != NULL && i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (items, i);
      const char *open_id = ttd_upload_item_get_open_id (item);
      const char *name = NULL;

      if (open_id != NULL && current != NULL && !g_str_equal (open_id, current))
        {
          name = self->account_names ? g_hash_table_lookup (self->account_names, open_id) : NULL;
          if (name == NULL)
            name = _("another account");
        }
      ttd_upload_item_set_account_name (item, name);
    }

  return G_SOURCE_REMOVE;
}

/**
 * _ttd_window_label_item_accounts:
 *
 * Soon (once restored items have their account too) names, on each item
 * that goes to another account than the one on screen, that account.
 */
void
_ttd_window_label_item_accounts (TtdWindow *self)
{
  if (self->account_names_idle == 0)
    self->account_names_idle = g_idle_add (label_item_accounts_cb, self);
}

/**
 * _ttd_window_refresh_accounts:
 *
 * Lists the signed-in accounts again (in a thread: it reads the keyring)
 * and rebuilds the account menu from them.
 */
void
_ttd_window_refresh_accounts (TtdWindow *self)
{
  TtdAccounts *accounts = get_accounts (self);

  if (accounts == NULL)
    return;

  ttd_accounts_list_async (accounts, self->account_cancellable, accounts_listed_cb, g_object_ref (self));
}

static void
clean_photos_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  TtdAccount *account = task_data;
  g_autoptr(TtdPhotoHost) host = NULL;

  host = ttd_photo_host_new (ttd_account_get_config (account),
                             ttd_api_client_get_session (ttd_account_get_client (account)), NULL);
  if (host != NULL)
    {
      guint deleted = ttd_photo_host_clean_leftovers (host, cancellable);

      if (deleted > 0)
        g_debug ("Deleted %u photos an earlier run left on the photo host", deleted);
    }
  g_task_return_boolean (task, TRUE);
}

/* Hosted photos that an earlier run (a crash, say) left behind are deleted
 * once per start, off the main loop, when a photo host is configured. */
static void
clean_left_behind_photos (TtdWindow  *self,
                          TtdAccount *account)
{
  static gboolean done;
  g_autoptr(GTask) task = NULL;
  const TtdConfig *config = ttd_account_get_config (account);

  if (done || !ttd_config_photo_host_configured (config))
    return;
  done = TRUE;

  task = g_task_new (self, self->cancellable, NULL, NULL);
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);
  g_task_run_in_thread (task, clean_photos_thread);
}

/**
 * ttd_window_set_account:
 * @account: (nullable): the account, or %NULL while the configuration is
 *   still being read
 *
 * Shows @account's state: loads its tokens asynchronously when needed, then
 * who is signed in.
 */
void
ttd_window_set_account (TtdWindow  *self,
                        TtdAccount *account)
{
  gboolean was_signed_in;

  g_return_if_fail (TTD_IS_WINDOW (self));
  g_return_if_fail (!account || TTD_IS_ACCOUNT (account));

  if (self->account == account)
    return;

  was_signed_in = self->account_state == TTD_ACCOUNT_STATE_SIGNED_IN;

  g_cancellable_cancel (self->account_cancellable);
  g_clear_object (&self->account_cancellable);
  cancel_sign_in (self);
  g_set_object (&self->account, account);
  self->account_cancellable = g_cancellable_new ();

  if (account == NULL)
    {
      _ttd_window_set_account_state (self, TTD_ACCOUNT_STATE_CHECKING);
      return;
    }

  clean_left_behind_photos (self, account);

  if (!ttd_config_has_credentials (ttd_account_get_config (account)))
    {
      _ttd_window_set_account_state (self, TTD_ACCOUNT_STATE_NO_CREDENTIALS);
      return;
    }

  if (ttd_account_is_signed_in (account))
    {
      _ttd_window_set_account_state (self, TTD_ACCOUNT_STATE_SIGNED_IN);
      fetch_user_info (self);
      return;
    }

  /* A rebuilt account (after Preferences changed) keeps the queue on screen
   * while its tokens load, instead of flashing the spinner. */
  if (!was_signed_in)
    _ttd_window_set_account_state (self, TTD_ACCOUNT_STATE_CHECKING);
  else
    _ttd_window_update (self);

  ttd_account_load_async (account, self->account_cancellable, account_loaded_cb,
                          g_object_ref (self));
}

/**
 * ttd_window_get_account:
 *
 * Returns: (transfer none) (nullable): the account
 */
TtdAccount *
ttd_window_get_account (TtdWindow *self)
{
  g_return_val_if_fail (TTD_IS_WINDOW (self), NULL);

  return self->account;
}

static void
complete_sign_in_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TtdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  TtdAccount *account = TTD_ACCOUNT (object);

  TtdAccounts *accounts = get_accounts (self);
  g_autofree char *open_id = NULL;

  if (!ttd_account_complete_sign_in_finish (account, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      _ttd_window_toast (self, error->message);
      if (account == self->sign_in_account)
        leave_sign_in (self);
      return;
    }

  if (account != self->sign_in_account)
    return;
  g_clear_object (&self->auth_flow);
  g_clear_object (&self->sign_in_cancellable);
  g_clear_object (&self->sign_in_account);

  /* The browser had the focus; bring the window back. */
  gtk_window_present (GTK_WINDOW (self));
  _ttd_window_set_user_info (self, NULL, NULL);

  open_id = ttd_account_dup_open_id (account);
  if (accounts != NULL && account != self->account)
    {
      /* The application's one object for the account just added. */
      g_autoptr(TtdAccount) added = ttd_accounts_get (accounts, open_id);

      if (added != self->account)
        {
          use_account (self, added);
          return;
        }

      /* Signed in again to the account on screen: read its new tokens. */
      ttd_account_load_async (added, self->account_cancellable, account_loaded_cb, g_object_ref (self));
      return;
    }

  _ttd_window_set_account_state (self, TTD_ACCOUNT_STATE_SIGNED_IN);
  fetch_user_info (self);
}

static void
auth_wait_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TtdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  TtdAuthFlow *flow = TTD_AUTH_FLOW (object);
  TtdAccounts *accounts;

  code = ttd_auth_flow_wait_finish (flow, result, &error);
  if (flow != self->auth_flow)
    return;

  if (code == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _ttd_window_toast (self, error->message);
      leave_sign_in (self);
      return;
    }

  /* A sign-in adds an account: it runs on an account object of its own,
   * and the window turns to that account once it is done. */
  accounts = get_accounts (self);
  g_clear_object (&self->sign_in_account);
  self->sign_in_account = accounts != NULL ? ttd_accounts_get (accounts, NULL)
                                           : g_object_ref (self->account);
  ttd_account_complete_sign_in_async (self->sign_in_account, code,
                                      ttd_auth_flow_get_redirect_uri (flow),
                                      ttd_auth_flow_get_code_verifier (flow),
                                      self->sign_in_cancellable,
                                      complete_sign_in_cb, g_object_ref (self));
}

static void
show_uri_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TtdWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error))
    return;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_debug ("Could not open the browser: %s", error->message);
  gtk_label_set_label (self->sign_in_problem_label,
                       _("No web browser could be opened. Copy the link into a browser to go on."));
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_problem_label), TRUE);
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TtdWindow *self = TTD_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  const char *uri;

  if (self->account == NULL)
    return;

  cancel_sign_in (self);
  _ttd_window_ensure_pages (self);
  self->auth_flow = ttd_auth_flow_new_loopback (ttd_account_get_config (self->account), &error);
  if (self->auth_flow == NULL)
    {
      _ttd_window_toast (self, error->message);
      return;
    }

  self->sign_in_cancellable = g_cancellable_new ();
  uri = ttd_auth_flow_get_authorize_uri (self->auth_flow);
  gtk_label_set_label (self->sign_in_uri_label, uri);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_problem_label), FALSE);
  _ttd_window_set_account_state (self, TTD_ACCOUNT_STATE_SIGNING_IN);

  ttd_auth_flow_wait_async (self->auth_flow, self->sign_in_cancellable,
                            auth_wait_cb, g_object_ref (self));
  gtk_show_uri_full (GTK_WINDOW (self), uri, GDK_CURRENT_TIME, self->sign_in_cancellable,
                     show_uri_cb, g_object_ref (self));
}

static void
cancel_sign_in_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TtdWindow *self = TTD_WINDOW (widget);

  leave_sign_in (self);
}

static void
copy_sign_in_link_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  TtdWindow *self = TTD_WINDOW (widget);

  if (self->auth_flow == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget),
                          ttd_auth_flow_get_authorize_uri (self->auth_flow));
  _ttd_window_toast (self, _("Link copied"));
}

static void
sign_out_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TtdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *revoke_problem = NULL;
  TtdAccount *account = TTD_ACCOUNT (object);
  TtdAccounts *accounts = get_accounts (self);

  if (!ttd_account_sign_out_finish (account, result, &revoke_problem, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _ttd_window_toast (self, error->message);
      if (account == self->account)
        _ttd_window_set_account_state (self, ttd_account_is_signed_in (account)
                                       ? TTD_ACCOUNT_STATE_SIGNED_IN
                                       : TTD_ACCOUNT_STATE_SIGNED_OUT);
      return;
    }

  if (revoke_problem != NULL)
    _ttd_window_toast (self, revoke_problem);
  else
    _ttd_window_toast (self, _("Signed out"));

  if (account != self->account)
    {
      _ttd_window_refresh_accounts (self);
      return;
    }

  _ttd_window_set_user_info (self, NULL, NULL);
  if (accounts != NULL)
    {
      /* The others stay signed in: turn to the default among them, if any
       * (loading an account for "the default" settles which it is). */
      g_autoptr(TtdAccount) next = ttd_accounts_get (accounts, NULL);

      use_account (self, next);
      return;
    }
  _ttd_window_set_account_state (self, TTD_ACCOUNT_STATE_SIGNED_OUT);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TtdWindow *self = TTD_WINDOW (widget);

  if (self->account == NULL || ttd_draft_session_get_sending (self->session))
    return;

  _ttd_window_set_account_state (self, TTD_ACCOUNT_STATE_CHECKING);
  ttd_account_sign_out_async (self->account, self->account_cancellable, sign_out_cb,
                              g_object_ref (self));
}

static void
default_set_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TtdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  TtdAccounts *accounts = TTD_ACCOUNTS (object);
  const char *open_id = g_object_get_data (G_OBJECT (self), "ttd-switching-to");
  g_autoptr(TtdAccount) account = NULL;

  if (!ttd_accounts_set_default_finish (accounts, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _ttd_window_toast (self, error->message);
      _ttd_window_refresh_accounts (self);
      return;
    }

  account = ttd_accounts_get (accounts, open_id);
  use_account (self, account);
}

/* account.switch: the window (and the CLI's default) turns to another
 * signed-in account. */
static void
switch_account_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  TtdWindow *self = user_data;
  TtdAccounts *accounts = get_accounts (self);
  const char *open_id = g_variant_get_string (parameter, NULL);
  g_autofree char *current = self->account ? ttd_account_dup_open_id (self->account) : NULL;

  if (accounts == NULL || g_strcmp0 (open_id, current) == 0)
    return;

  g_simple_action_set_state (action, parameter);
  g_object_set_data_full (G_OBJECT (self), "ttd-switching-to", g_strdup (open_id), g_free);
  ttd_accounts_set_default_async (accounts, open_id, self->account_cancellable,
                                  default_set_cb, g_object_ref (self));
}

static void
add_account_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  gtk_widget_activate_action (GTK_WIDGET (user_data), "win.sign-in", NULL);
}

static void
sign_out_account_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  TtdWindow *self = user_data;
  TtdAccounts *accounts = get_accounts (self);
  const char *open_id = g_variant_get_string (parameter, NULL);
  g_autofree char *current = self->account ? ttd_account_dup_open_id (self->account) : NULL;
  g_autoptr(TtdAccount) account = NULL;

  if (g_strcmp0 (open_id, current) == 0 || accounts == NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.sign-out", NULL);
      return;
    }

  /* Another account than the one on screen: the window stays as it is. */
  account = ttd_accounts_get (accounts, open_id);
  ttd_account_sign_out_async (account, self->account_cancellable, sign_out_cb, g_object_ref (self));
}

void
_ttd_window_account_init (TtdWindow *self)
{
  const GActionEntry entries[] = {
    { "switch", NULL, "s", "\"\"", switch_account_cb },
    { "add", add_account_cb },
    { "sign-out", sign_out_account_cb, "s" },
  };

  self->account_actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->account_actions), entries,
                                   G_N_ELEMENTS (entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "account", G_ACTION_GROUP (self->account_actions));
}

void
_ttd_window_account_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-sign-in", NULL, cancel_sign_in_action);
  gtk_widget_class_install_action (widget_class, "win.copy-sign-in-link", NULL,
                                   copy_sign_in_link_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
}
