/* ttd-preferences-window.c — TikTok app credentials and the photo host
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Changes apply as they are typed: plain values go to GSettings (the
 * application rebuilds its account when they settle), secrets go to the
 * keyring from a worker thread, after a short pause so a keystroke is not
 * a keyring write. Secrets never go to GSettings.
 *
 * The photo host is a WebDAV server or an S3-compatible bucket; the rows
 * of the other type are hidden. “Test Photo Host” runs the core's probe
 * (put, fetch from the public address, delete) in a thread on what the
 * rows say now, and shows its one-sentence answer below the button.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "ttd-application.h"
#include "ttd-core.h"
#include "ttd-preferences-window.h"

#define SECRET_SAVE_DELAY_MS 600
#define TEST_TIMEOUT_SECONDS 30

/* The combo rows' items, in order, as GSettings spells them. */
static const char *host_type_ids[] = { TTD_PHOTO_HOST_WEBDAV, TTD_PHOTO_HOST_S3, NULL };
static const char *auth_ids[] = { "none", "basic", "bearer", NULL };
static const char *addressing_ids[] = { "auto", "path", "virtual", NULL };

enum { HOST_WEBDAV, HOST_S3 };
enum { AUTH_NONE, AUTH_BASIC, AUTH_BEARER };

typedef enum {
  SECRET_CLIENT,
  SECRET_PHOTO_PASSWORD,
  SECRET_S3,
  N_SECRETS
} SecretSlot;

struct _TtdPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  GtkWidget            *env_group;
  GtkLabel             *env_label;
  AdwEntryRow          *client_key_row;
  AdwEntryRow          *client_secret_row;
  AdwComboRow          *photo_host_type_row;
  AdwEntryRow          *photo_upload_url_row;
  AdwEntryRow          *s3_endpoint_row;
  AdwEntryRow          *s3_bucket_row;
  AdwEntryRow          *s3_region_row;
  AdwEntryRow          *s3_prefix_row;
  AdwEntryRow          *s3_access_key_id_row;
  AdwEntryRow          *s3_secret_row;
  AdwEntryRow          *photo_public_url_row;
  AdwComboRow          *photo_auth_row;
  AdwEntryRow          *photo_username_row;
  AdwEntryRow          *photo_password_row;
  AdwComboRow          *s3_addressing_row;
  GtkWidget            *test_button;
  GtkWidget            *test_spinner;
  GtkLabel             *test_result_label;
  GtkSpinButton        *quality_spin;

  /* Owned references */
  GSettings            *settings;
  GCancellable         *cancellable;
  GCancellable         *test_cancellable;  /* while a test runs */

  guint                 secret_source;
  gboolean              secret_pending[N_SECRETS];
  guint                 loading;
};

G_DEFINE_FINAL_TYPE (TtdPreferencesWindow, ttd_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  SIGNAL_SECRETS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
is_s3 (TtdPreferencesWindow *self)
{
  return adw_combo_row_get_selected (self->photo_host_type_row) == HOST_S3;
}

/* The keyring item's key for the S3 secret: the endpoint and key ID as
 * saved, the pair ttd_config_load_secrets() looks up. */
static char *
dup_s3_secret_key (TtdPreferencesWindow *self)
{
  g_autoptr(TtdConfig) config = ttd_application_config_from_settings (self->settings);

  return ttd_config_s3_secret_key (config);
}

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
  ttd_secure_free (write->secret);
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
save_secret (TtdPreferencesWindow *self,
             SecretSlot            slot)
{
  g_autofree char *s3_key = NULL;

  switch (slot)
    {
    case SECRET_CLIENT:
      write_secret (self, NULL, row_text (self->client_key_row), NULL,
                    row_text (self->client_secret_row));
      break;
    case SECRET_PHOTO_PASSWORD:
      write_secret (self, "photo-host", row_text (self->photo_upload_url_row),
                    _("TikTok Drafts photo host"), row_text (self->photo_password_row));
      break;
    case SECRET_S3:
      s3_key = dup_s3_secret_key (self);
      write_secret (self, "s3-secret", s3_key, _("TikTok Drafts – S3 secret access key"),
                    row_text (self->s3_secret_row));
      break;
    case N_SECRETS:
    default:
      g_assert_not_reached ();
    }
}

/* Writes the secrets whose pause is over (or that are waiting at close). */
static void
save_pending_secrets (TtdPreferencesWindow *self)
{
  g_clear_handle_id (&self->secret_source, g_source_remove);

  for (SecretSlot slot = 0; slot < N_SECRETS; slot++)
    if (self->secret_pending[slot])
      {
        self->secret_pending[slot] = FALSE;
        save_secret (self, slot);
      }
}

static gboolean
secret_timeout_cb (gpointer user_data)
{
  TtdPreferencesWindow *self = user_data;

  self->secret_source = 0;
  save_pending_secrets (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_secret (TtdPreferencesWindow *self,
                 SecretSlot            slot)
{
  if (self->loading)
    return;

  self->secret_pending[slot] = TRUE;
  g_clear_handle_id (&self->secret_source, g_source_remove);
  self->secret_source = g_timeout_add (SECRET_SAVE_DELAY_MS, secret_timeout_cb, self);
}

/* What a test said is about the settings it ran on. */
static void
clear_test_result (TtdPreferencesWindow *self)
{
  if (self->loading || self->test_cancellable != NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->test_result_label), FALSE);
  gtk_label_set_label (self->test_result_label, "");
}

#define ROW_AT(self, offset) (*(gpointer *) G_STRUCT_MEMBER_P ((self), (offset)))

/* The rows whose text is a setting. A secret is kept under its key (the
 * client key, the upload address, the S3 endpoint and key ID): when one
 * changes, the secret typed is kept under the new key too. */
static const struct
{
  gsize       row;
  const char *key;
  int         keys_secret;   /* a SecretSlot, or -1 */
} setting_rows[] = {
  { G_STRUCT_OFFSET (TtdPreferencesWindow, client_key_row), "client-key", SECRET_CLIENT },
  { G_STRUCT_OFFSET (TtdPreferencesWindow, photo_upload_url_row), "photo-upload-url", SECRET_PHOTO_PASSWORD },
  { G_STRUCT_OFFSET (TtdPreferencesWindow, photo_public_url_row), "photo-public-url", -1 },
  { G_STRUCT_OFFSET (TtdPreferencesWindow, photo_username_row), "photo-username", -1 },
  { G_STRUCT_OFFSET (TtdPreferencesWindow, s3_endpoint_row), "s3-endpoint", SECRET_S3 },
  { G_STRUCT_OFFSET (TtdPreferencesWindow, s3_bucket_row), "s3-bucket", -1 },
  { G_STRUCT_OFFSET (TtdPreferencesWindow, s3_region_row), "s3-region", -1 },
  { G_STRUCT_OFFSET (TtdPreferencesWindow, s3_prefix_row), "s3-prefix", -1 },
  { G_STRUCT_OFFSET (TtdPreferencesWindow, s3_access_key_id_row), "s3-access-key-id", SECRET_S3 },
};

/* The rows whose text is a secret, by SecretSlot. */
static const gsize secret_rows[N_SECRETS] = {
  [SECRET_CLIENT] = G_STRUCT_OFFSET (TtdPreferencesWindow, client_secret_row),
  [SECRET_PHOTO_PASSWORD] = G_STRUCT_OFFSET (TtdPreferencesWindow, photo_password_row),
  [SECRET_S3] = G_STRUCT_OFFSET (TtdPreferencesWindow, s3_secret_row),
};

/* The combo rows: their items in order, as GSettings spells them. */
static const struct
{
  gsize        row;
  const char  *key;
  const char **ids;
} combo_rows[] = {
  { G_STRUCT_OFFSET (TtdPreferencesWindow, photo_host_type_row), "photo-host-type", host_type_ids },
  { G_STRUCT_OFFSET (TtdPreferencesWindow, photo_auth_row), "photo-auth", auth_ids },
  { G_STRUCT_OFFSET (TtdPreferencesWindow, s3_addressing_row), "s3-addressing", addressing_ids },
};

static void
setting_row_changed_cb (TtdPreferencesWindow *self,
                        AdwEntryRow          *row)
{
  if (self->loading)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (setting_rows); i++)
    if (ROW_AT (self, setting_rows[i].row) == row)
      {
        g_autofree char *text = g_strstrip (g_strdup (row_text (row)));

        g_settings_set_string (self->settings, setting_rows[i].key, text);

        if (setting_rows[i].keys_secret >= 0 &&
            *row_text (ROW_AT (self, secret_rows[setting_rows[i].keys_secret])) != '\0')
          schedule_secret (self, setting_rows[i].keys_secret);
      }

  if (row != self->client_key_row)
    clear_test_result (self);
}

static void
secret_row_changed_cb (TtdPreferencesWindow *self,
                       AdwEntryRow          *row)
{
  if (self->loading)
    return;

  for (SecretSlot slot = 0; slot < N_SECRETS; slot++)
    if (ROW_AT (self, secret_rows[slot]) == row)
      schedule_secret (self, slot);

  if (row != self->client_secret_row)
    clear_test_result (self);
}

/* Which rows the host type and the authentication ask for. */
static void
update_photo_host_rows (TtdPreferencesWindow *self)
{
  gboolean s3 = is_s3 (self);
  guint auth = adw_combo_row_get_selected (self->photo_auth_row);
  GtkWidget *webdav_rows[] = {
    GTK_WIDGET (self->photo_upload_url_row), GTK_WIDGET (self->photo_auth_row),
  };
  GtkWidget *s3_rows[] = {
    GTK_WIDGET (self->s3_endpoint_row), GTK_WIDGET (self->s3_bucket_row),
    GTK_WIDGET (self->s3_region_row), GTK_WIDGET (self->s3_prefix_row),
    GTK_WIDGET (self->s3_access_key_id_row), GTK_WIDGET (self->s3_secret_row),
    GTK_WIDGET (self->s3_addressing_row),
  };

  for (guint i = 0; i < G_N_ELEMENTS (webdav_rows); i++)
    gtk_widget_set_visible (webdav_rows[i], !s3);
  for (guint i = 0; i < G_N_ELEMENTS (s3_rows); i++)
    gtk_widget_set_visible (s3_rows[i], s3);

  gtk_widget_set_visible (GTK_WIDGET (self->photo_username_row), !s3 && auth == AUTH_BASIC);
  gtk_widget_set_visible (GTK_WIDGET (self->photo_password_row), !s3 && auth != AUTH_NONE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->photo_password_row),
                                 auth == AUTH_BEARER ? _("Token") : _("Password"));

  /* A bucket's S3 address is not where TikTok may fetch from: for S3 the
   * public address is needed, for WebDAV it defaults to the upload one
   * (ttd_application_config_finish()). */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->photo_public_url_row),
                                 s3 ? _("Public Address") : _("Public Address (if different)"));
}

static void
combo_row_changed_cb (TtdPreferencesWindow *self,
                      GParamSpec           *pspec,
                      AdwComboRow          *row)
{
  guint selected = adw_combo_row_get_selected (row);

  update_photo_host_rows (self);
  if (self->loading)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (combo_rows); i++)
    if (ROW_AT (self, combo_rows[i].row) == row && selected < g_strv_length ((char **) combo_rows[i].ids))
      g_settings_set_string (self->settings, combo_rows[i].key, combo_rows[i].ids[selected]);

  clear_test_result (self);
}

/* Test Photo Host */

static void
test_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TtdConfig *config = task_data;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(TtdPhotoHost) host = NULL;
  GError *error = NULL;

  /* As the application puts its configuration together, the typed
   * secrets standing in for the keyring's. */
  ttd_application_config_finish (config, cancellable);

  session = soup_session_new_with_options ("timeout", TEST_TIMEOUT_SECONDS, NULL);
  host = ttd_photo_host_new (config, session, &error);
  if (host == NULL || !ttd_photo_host_test (host, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
show_test_running (TtdPreferencesWindow *self,
                   gboolean              running)
{
  gtk_widget_set_sensitive (self->test_button, !running);
  gtk_widget_set_visible (self->test_spinner, running);
  gtk_spinner_set_spinning (GTK_SPINNER (self->test_spinner), running);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->test_button),
                               GTK_ACCESSIBLE_STATE_BUSY, running, -1);
}

static void
test_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TtdPreferencesWindow *self = TTD_PREFERENCES_WINDOW (object);
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);
  GtkWidget *label;

  /* Cancelled: the window went away, its widgets with it. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      self->test_cancellable == NULL || g_cancellable_is_cancelled (self->test_cancellable))
    return;

  g_clear_object (&self->test_cancellable);
  show_test_running (self, FALSE);

  label = GTK_WIDGET (self->test_result_label);
  gtk_label_set_label (self->test_result_label,
                       ok ? _("The photo host works: a test photo was stored, served at its public address as TikTok fetches it, and deleted.")
                          : error->message);
  gtk_widget_remove_css_class (label, ok ? "error" : "success");
  gtk_widget_add_css_class (label, ok ? "success" : "error");
  gtk_widget_set_visible (label, TRUE);
}

static void
test_clicked_cb (TtdPreferencesWindow *self)
{
  g_autoptr(GTask) task = NULL;
  TtdConfig *config;

  if (self->test_cancellable != NULL)
    return;

  /* What the rows say now: GSettings has every keystroke, the secrets may
   * still be waiting for their pause before the keyring. */
  config = ttd_application_config_from_settings (self->settings);
  ttd_config_set (&config->photo_password, row_text (self->photo_password_row));
  ttd_config_set (&config->s3_secret_access_key, row_text (self->s3_secret_row));

  clear_test_result (self);
  self->test_cancellable = g_cancellable_new ();
  show_test_running (self, TRUE);

  task = g_task_new (self, self->test_cancellable, test_done_cb, NULL);
  g_task_set_source_tag (task, test_clicked_cb);
  g_task_set_task_data (task, config, (GDestroyNotify) ttd_config_free);
  g_task_run_in_thread (task, test_thread);
}

static void
cancel_test (TtdPreferencesWindow *self)
{
  if (self->test_cancellable == NULL)
    return;

  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);
  show_test_running (self, FALSE);
}

/* Reading the keyring when the window opens */

typedef struct
{
  char *client_key;
  char *photo_url;
  char *s3_key;
  char *client_secret;
  char *photo_password;
  char *s3_secret;
} Secrets;

static void
secrets_free (Secrets *secrets)
{
  g_free (secrets->client_key);
  g_free (secrets->photo_url);
  g_free (secrets->s3_key);
  ttd_secure_free (secrets->client_secret);
  ttd_secure_free (secrets->photo_password);
  ttd_secure_free (secrets->s3_secret);
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
  if (secrets->s3_key != NULL)
    secrets->s3_secret = ttd_secret_lookup_password ("s3-secret", secrets->s3_key, cancellable, NULL);

  g_task_return_boolean (task, TRUE);
}

/* Only fills a field the creator has not started typing in. */
static void
fill_secret_row (AdwEntryRow *row,
                 const char  *secret)
{
  if (secret != NULL && *row_text (row) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (row), secret);
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

  self->loading++;
  fill_secret_row (self->client_secret_row, secrets->client_secret);
  fill_secret_row (self->photo_password_row, secrets->photo_password);
  fill_secret_row (self->s3_secret_row, secrets->s3_secret);
  self->loading--;
}

static void
show_env_overrides (TtdPreferencesWindow *self)
{
  static const char *names[] = {
    TTD_ENV_CLIENT_KEY, TTD_ENV_CLIENT_SECRET, TTD_ENV_API_BASE, TTD_ENV_AUTH_URL,
    TTD_ENV_PHOTO_HOST, TTD_ENV_PHOTO_UPLOAD_URL, TTD_ENV_PHOTO_PUBLIC_URL, TTD_ENV_PHOTO_AUTH,
    TTD_ENV_PHOTO_USERNAME, TTD_ENV_PHOTO_PASSWORD, TTD_ENV_S3_ENDPOINT, TTD_ENV_S3_BUCKET,
    TTD_ENV_S3_REGION, TTD_ENV_S3_PREFIX, TTD_ENV_S3_ADDRESSING, TTD_ENV_S3_ACCESS_KEY_ID,
    TTD_ENV_S3_SECRET_ACCESS_KEY, TTD_ENV_S3_SESSION_TOKEN,
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
ttd_preferences_window_unrealize (GtkWidget *widget)
{
  cancel_test (TTD_PREFERENCES_WINDOW (widget));

  GTK_WIDGET_CLASS (ttd_preferences_window_parent_class)->unrealize (widget);
}

static void
ttd_preferences_window_dispose (GObject *object)
{
  TtdPreferencesWindow *self = TTD_PREFERENCES_WINDOW (object);

  /* Write secrets still waiting for their pause. */
  if (self->secret_source != 0)
    save_pending_secrets (self);

  if (self->test_cancellable != NULL)
    g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);
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
  widget_class->unrealize = ttd_preferences_window_unrealize;

  signals[SIGNAL_SECRETS_CHANGED] = g_signal_new ("secrets-changed", G_TYPE_FROM_CLASS (klass),
                                                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/cofndrly/TikTokDrafts/ui/ttd-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, env_group);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, env_label);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, client_key_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, client_secret_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, photo_host_type_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, photo_upload_url_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, s3_endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, s3_bucket_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, s3_region_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, s3_prefix_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, s3_access_key_id_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, s3_secret_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, photo_public_url_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, photo_auth_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, photo_username_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, photo_password_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, s3_addressing_row);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, test_button);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, test_result_label);
  gtk_widget_class_bind_template_child (widget_class, TtdPreferencesWindow, quality_spin);
  gtk_widget_class_bind_template_callback (widget_class, setting_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, secret_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, combo_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
}

static void
ttd_preferences_window_init (TtdPreferencesWindow *self)
{
  self->loading = 1;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->loading = 0;
}

GtkWidget *
ttd_preferences_window_new (GSettings *settings)
{
  TtdPreferencesWindow *self;
  g_autoptr(GTask) task = NULL;
  Secrets *secrets;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (TTD_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  self->loading++;
  for (guint i = 0; i < G_N_ELEMENTS (setting_rows); i++)
    {
      g_autofree char *value = g_settings_get_string (settings, setting_rows[i].key);

      gtk_editable_set_text (GTK_EDITABLE (ROW_AT (self, setting_rows[i].row)), value);
    }
  for (guint i = 0; i < G_N_ELEMENTS (combo_rows); i++)
    {
      g_autofree char *value = g_settings_get_string (settings, combo_rows[i].key);

      for (guint position = 0; combo_rows[i].ids[position] != NULL; position++)
        if (g_str_equal (value, combo_rows[i].ids[position]))
          adw_combo_row_set_selected (ROW_AT (self, combo_rows[i].row), position);
    }
  update_photo_host_rows (self);
  self->loading--;

  g_settings_bind (settings, "jpeg-quality", self->quality_spin, "value", G_SETTINGS_BIND_DEFAULT);
  show_env_overrides (self);

  /* The keyring may be slow (or prompt to unlock): never on the main loop. */
  secrets = g_new0 (Secrets, 1);
  secrets->client_key = g_settings_get_string (settings, "client-key");
  secrets->photo_url = g_settings_get_string (settings, "photo-upload-url");
  secrets->s3_key = dup_s3_secret_key (self);
  task = g_task_new (self, self->cancellable, lookup_done_cb, NULL);
  g_task_set_source_tag (task, ttd_preferences_window_new);
  g_task_set_task_data (task, secrets, (GDestroyNotify) secrets_free);
  g_task_run_in_thread (task, lookup_thread);

  return GTK_WIDGET (self);
}
