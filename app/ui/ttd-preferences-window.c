/* ttd-preferences-window.c — TikTok app credentials and the photo host
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Changes apply as they are typed: plain values go to GSettings (the
 * application rebuilds its account when they settle), secrets go to the
 * keyring from a worker thread, after a short pause so a keystroke is not
 * a keyring write.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "ttd-core.h"
#include "ttd-preferences-window.h"

#define SECRET_SAVE_DELAY_MS 600

static const char *auth_ids[] = { "none", "basic", "bearer" };

struct _TtdPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  GtkWidget            *env_group;
  GtkLabel             *env_label;
  AdwEntryRow          *client_key_row;
  AdwEntryRow          *client_secret_row;
  AdwEntryRow          *photo_upload_url_row;
  AdwEntryRow          *photo_public_url_row;
  AdwComboRow          *photo_auth_row;
  AdwEntryRow          *photo_username_row;
  AdwEntryRow          *photo_password_row;
  GtkSpinButton        *quality_spin;

  /* Owned references */
  GSettings            *settings;
  GCancellable         *cancellable;

  guint                 client_secret_source;
  guint                 photo_password_source;
  guint                 loading;
};

G_DEFINE_FINAL_TYPE (TtdPreferencesWindow, ttd_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  SIGNAL_SECRETS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char *kind;      /* NULL for the client secret */
  char *key;
  char *label;
  char *secret;
} SecretWrite;

static void
secret_write_free (SecretWrite *write)
{
  g_free (write->kind);
  g_free (write->key);
  g_free (write->label);
  if (write->secret != NULL)
    explicit_bzero (write->secret, strlen (write->secret));
  g_free (write->secret);
  g_free (write);
}

static void
secret_write_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SecretWrite *write = task_data;
  GError *error = NULL;
  gboolean ok;

  if (write->kind == NULL)
    ok = ttd_secret_store_client_secret (write->key, write->secret, cancellable, &error);
  else
    ok = ttd_secret_store_password (write->kind, write->key, write->label, write->secret,
                                    cancellable, &error);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
secret_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TtdPreferencesWindow *self = TTD_PREFERENCES_WINDOW (object);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
      return;
    }

  g_signal_emit (self, signals[SIGNAL_SECRETS_CHANGED], 0);
}

static void
write_secret (TtdPreferencesWindow *self,
              const char           *kind,
              const char           *key,
              const char           *label,
              const char           *secret)
{
  g_autoptr(GTask) task = NULL;
  SecretWrite *write;

  if (key == NULL || *key == '\0')
    return;

  write = g_new0 (SecretWrite, 1);
  write->kind = g_strdup (kind);
  write->key = g_strdup (key);
  write->label = g_strdup (label);
  write->secret = g_strdup (secret);

  /* Not self->cancellable: a secret typed just before closing is still kept. */
  task = g_task_new (self, NULL, secret_written_cb, NULL);
  g_task_set_source_tag (task, write_secret);
  g_task_set_task_data (task, write, (GDestroyNotify) secret_write_free);
  g_task_run_in_thread (task, secret_write_thread);
}

static void
save_client_secret (TtdPreferencesWindow *self)
{
  g_clear_handle_id (&self->client_secret_source, g_source_remove);
  write_secret (self, NULL,
                gtk_editable_get_text (GTK_EDITABLE (self->client_key_row)), NULL,
                gtk_editable_get_text (GTK_EDITABLE (self->client_secret_row)));
}

static void
save_photo_password (TtdPreferencesWindow *self)
{
  g_clear_handle_id (&self->photo_password_source, g_source_remove);
  write_secret (self, "photo-host",
                gtk_editable_get_text (GTK_EDITABLE (self->photo_upload_url_row)),
                _("TikTok Drafts photo host"),
                gtk_editable_get_text (GTK_EDITABLE (self->photo_password_row)));
}

static gboolean
client_secret_timeout_cb (gpointer user_data)
{
  TtdPreferencesWindow *self = user_data;

  self->client_secret_source = 0;
  save_client_secret (self);

  return G_SOURCE_REMOVE;
}

static gboolean
photo_password_timeout_cb (gpointer user_data)
{
  TtdPreferencesWindow *self = user_data;

  self->photo_password_source = 0;
  save_photo_password (self);

  return G_SOURCE_REMOVE;
}

static void
set_string_setting (TtdPreferencesWindow *self,
                    const char           *key,
                    AdwEntryRow          *row)
{
  g_autofree char *text = NULL;

  if (self->loading)
    return;

  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_settings_set_string (self->settings, key, text);
}

static void
client_key_changed_cb (TtdPreferencesWindow *self)
{
  set_string_setting (self, "client-key", self->client_key_row);
}

static void
client_secret_changed_cb (TtdPreferencesWindow *self)
{
  if (self->loading)
    return;

  g_clear_handle_id (&self->client_secret_source, g_source_remove);
  self->client_secret_source = g_timeout_add (SECRET_SAVE_DELAY_MS, client_secret_timeout_cb, self);
}

static void
photo_upload_url_changed_cb (TtdPreferencesWindow *self)
{
  set_string_setting (self, "photo-upload-url", self->photo_upload_url_row);
}

static void
photo_public_url_changed_cb (TtdPreferencesWindow *self)
{
  set_string_setting (self, "photo-public-url", self->photo_public_url_row);
}

static void
photo_username_changed_cb (TtdPreferencesWindow *self)
{
  set_string_setting (self, "photo-username", self->photo_username_row);
}

static void
photo_password_changed_cb (TtdPreferencesWindow *self)
{
  if (self->loading)
    return;

  g_clear_handle_id (&self->photo_password_source, g_source_remove);
  self->photo_password_source = g_timeout_add (SECRET_SAVE_DELAY_MS, photo_password_timeout_cb, self);
}

static void
update_auth_rows (TtdPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->photo_auth_row);

  gtk_widget_set_visible (GTK_WIDGET (self->photo_username_row), selected == 1);
  gtk_widget_set_visible (GTK_WIDGET (self->photo_password_row), selected != 0);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->photo_password_row),
                                 selected == 2 ? _("Token") : _("Password"));
}

static void
photo_auth_changed_cb (TtdPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->photo_auth_row);

  update_auth_rows (self);
  if (!self->loading && selected < G_N_ELEMENTS (auth_ids))
    g_settings_set_string (self->settings, "photo-auth", auth_ids[selected]);
}

typedef struct
{
  char *client_key;
  char *photo_url;
  char *client_secret;
  char *photo_password;
} Secrets;

static void
secrets_free (Secrets *secrets)
{
  g_free (secrets->client_key);
  g_free (secrets->photo_url);
  if (secrets->client_secret != NULL)
    explicit_bzero (secrets->client_secret, strlen (secrets->client_secret));
  g_free (secrets->client_secret);
  if (secrets->photo_password != NULL)
    explicit_bzero (secrets->photo_password, strlen (secrets->photo_password));
  g_free (secrets->photo_password);
  g_free (secrets);
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Secrets *secrets = task_data;

  if (secrets->client_key != NULL && *secrets->client_key != '\0')
    secrets->client_secret = ttd_secret_lookup_client_secret (secrets->client_key, cancellable, NULL);
  if (secrets->photo_url != NULL && *secrets->photo_url != '\0')
    secrets->photo_password = ttd_secret_lookup_password ("photo-host", secrets->photo_url,
                                                          cancellable, NULL);

  g_task_return_boolean (task, TRUE);
}

static void
lookup_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  TtdPreferencesWindow *self = TTD_PREFERENCES_WINDOW (object);
  Secrets *secrets = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), NULL) ||
      g_cancellable_is_cancelled (self->cancellable))
    return;

  /* Only fill fields the creator has not started typing in. */
  self->loading++;
  if (secrets->client_secret != NULL &&
      *gtk_editable_get_text (GTK_EDITABLE (self->client_secret_row)) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->client_secret_row), secrets->client_secret);
  if (secrets->photo_password != NULL &&
      *gtk_editable_get_text (GTK_EDITABLE (self->photo_password_row)) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->photo_password_row), secrets->photo_password);
  self->loading--;
}

static void
show_env_overrides (TtdPreferencesWindow *self)
{
  static const char *names[] = {
    TTD_ENV_CLIENT_KEY, TTD_ENV_CLIENT_SECRET, TTD_ENV_API_BASE, TTD_ENV_AUTH_URL,
    TTD_ENV_PHOTO_UPLOAD_URL, TTD_ENV_PHOTO_PUBLIC_URL, TTD_ENV_PHOTO_AUTH,
    TTD_ENV_PHOTO_USERNAME, TTD_ENV_PHOTO_PASSWORD,
  };
  g_autoptr(GPtrArray) set = g_ptr_array_new ();
  g_autofree char *list = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = g_getenv (names[i]);

      if (value != NULL && *value != '\0')
        g_ptr_array_add (set, (gpointer) names[i]);
    }

  if (set->len == 0)
    return;

  g_ptr_array_add (set, NULL);
  list = g_strjoinv (", ", (char **) set->pdata);
  text = g_strdup_printf (_("These environment variables are set and take precedence over the "
                            "settings below: %s."), list);
  gtk_label_set_label (self->env_label, text);
  gtk_widget_set_visible (self->env_group, TRUE);
}

static void
ttd_preferences_window_dispose (GObject *object)
{
  TtdPreferencesWindow *self = TTD_PREFERENCES_WINDOW (object);

  /* Write secrets still waiting for their pause. */
  if (self->client_secret_source != 0)
    save_client_secret (self);
  if (self->photo_password_source != 0)
    save_photo_password (self);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TTD_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ttd_preferences_window_parent_class)->dispose (object);
}

static void
ttd_preferences_window_class_init (TtdPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ttd_preferences_window_dispose;

  signals[SIGNAL_SECRETS_CHANGED] = g_signal_new ("secrets-changed", G_TYPE_FROM_CLASS (klass),
                                                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/cofndrly/TikTokDrafts/ui/ttd-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, env_group);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, env_label);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, client_key_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, client_secret_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, photo_upload_url_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, photo_public_url_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, photo_auth_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, photo_username_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, photo_password_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, quality_spin);
  gtk_widget_class_bind_template_callback (widget_class, client_key_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, client_secret_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, photo_upload_url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, photo_public_url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, photo_auth_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, photo_username_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, photo_password_changed_cb);
}

static void
ttd_preferences_window_init (TtdPreferencesWindow *self)
{
  self->loading = 1;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->loading = 0;
}

static void
set_row_text (AdwEntryRow *row,
              GSettings   *settings,
              const char  *key)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  gtk_editable_set_text (GTK_EDITABLE (row), value);
}

GtkWidget *
ttd_preferences_window_new (GSettings *settings)
{
  TtdPreferencesWindow *self;
  g_autoptr(GTask) task = NULL;
  g_autofree char *auth = NULL;
  Secrets *secrets;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (TTD_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  self->loading++;
  set_row_text (self->client_key_row, settings, "client-key");
  set_row_text (self->photo_upload_url_row, settings, "photo-upload-url");
  set_row_text (self->photo_public_url_row, settings, "photo-public-url");
  set_row_text (self->photo_username_row, settings, "photo-username");
  auth = g_settings_get_string (settings, "photo-auth");
  for (guint i = 0; i < G_N_ELEMENTS (auth_ids); i++)
    if (g_str_equal (auth, auth_ids[i]))
      adw_combo_row_set_selected (self->photo_auth_row, i);
  update_auth_rows (self);
  self->loading--;

  g_settings_bind (settings, "jpeg-quality", self->quality_spin, "value", G_SETTINGS_BIND_DEFAULT);
  show_env_overrides (self);

  /* The keyring may be slow (or prompt to unlock): never on the main loop. */
  secrets = g_new0 (Secrets, 1);
  secrets->client_key = g_settings_get_string (settings, "client-key");
  secrets->photo_url = g_settings_get_string (settings, "photo-upload-url");
  task = g_task_new (self, self->cancellable, lookup_done_cb, NULL);
  g_task_set_source_tag (task, ttd_preferences_window_new);
  g_task_set_task_data (task, secrets, (GDestroyNotify) secrets_free);
  g_task_run_in_thread (task, lookup_thread);

  return GTK_WIDGET (self);
}
