/* ttd-application.c — the application: settings, keyring and the TikTok account
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The configuration is put together in this order, later winning: built-in
 * defaults, GSettings (ttd_application_config_from_settings()), then the
 * TIKTOK_DRAFTS_* environment, the same variables the CLI reads; the keyring
 * (client secret, photo host password, S3 secret access key) fills in the
 * secrets still unset.
 * Whenever Preferences change, the TtdAccount is rebuilt and handed to the
 * windows.
 *
 * The application owns the one TtdDraftSession (what is queued, and
 * sending it); its windows are views of it, and files opened with the app
 * go to it, as do files other programs send over D-Bus (TtdDbusService,
 * registered on the application's own bus name).
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "ttd-application.h"
#include "ttd-dbus-service.h"
#include "ttd-preferences-window.h"
#include "ttd-window.h"

#define RELOAD_DELAY_MS 400

struct _TtdApplication
{
  AdwApplication   parent_instance;

  GSettings       *settings;
  TtdTokenStore   *store;
  TtdAccounts     *accounts;       /* every signed-in account */
  TtdAccount      *account;        /* the one the windows show and send with */
  TtdDraftSession *session;        /* what is queued, and sending it */
  TtdDbusService  *dbus_service;   /* org.cofndrly.TikTokDrafts.Drafts1 */
  GCancellable    *reload_cancellable;
  guint            reload_source;
};

G_DEFINE_FINAL_TYPE (TtdApplication, ttd_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gboolean
ttd_application_is_demo (void)
{
  return g_strcmp0 (g_getenv (TTD_ENV_DEMO), "1") == 0;
}

static char *
dup_setting (GSettings  *settings,
             const char *key)
{
  return g_settings_get_string (settings, key);
}

/**
 * ttd_application_config_finish:
 * @config: a configuration from ttd_application_config_from_settings()
 *
 * Lets the environment override the settings (which also gives a WebDAV
 * host without a public address its upload address, see
 * ttd_config_apply_env()), and fills in the secrets still unset from the
 * keyring. This blocks (the
 * keyring may prompt): call it in a worker thread.
 */
void
ttd_application_config_finish (TtdConfig    *config,
                               GCancellable *cancellable)
{
  g_return_if_fail (config != NULL);

  ttd_config_apply_env (config);
  ttd_config_load_secrets (config, cancellable);
}

/* Keyring lookups block (and may prompt), so they run here, in a thread. */
static void
config_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TtdConfig *config = task_data;

  ttd_application_config_finish (config, cancellable);
  g_task_return_pointer (task, ttd_config_copy (config), (GDestroyNotify) ttd_config_free);
}

static void
config_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TtdApplication *self = TTD_APPLICATION (object);
  g_autoptr(TtdConfig) config = NULL;
  g_autoptr(TtdAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  config = g_task_propagate_pointer (G_TASK (result), &error);
  if (config == NULL)
    return;

  g_clear_object (&self->accounts);
  self->accounts = ttd_accounts_new (config, self->store);
  ttd_draft_session_set_accounts (self->session, self->accounts);

  /* The default account; loading it settles which one that is. */
  account = ttd_accounts_get (self->accounts, NULL);
  ttd_application_use_account (self, account);
}

/**
 * ttd_application_use_account:
 * @account: (nullable): the account the windows show and send with
 *
 * After a switch, a sign-in or a sign-out. Items already sent keep going
 * to the account they were sent for.
 */
void
ttd_application_use_account (TtdApplication *self,
                             TtdAccount     *account)
{
  GList *windows;

  g_return_if_fail (TTD_IS_APPLICATION (self));

  if (!g_set_object (&self->account, account))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
  if (self->dbus_service != NULL)
    ttd_dbus_service_set_account (self->dbus_service, self->account);

  windows = gtk_application_get_windows (GTK_APPLICATION (self));
  for (GList *l = windows; l != NULL; l = l->next)
    if (TTD_IS_WINDOW (l->data))
      ttd_window_set_account (l->data, self->account);
}

/**
 * ttd_application_get_accounts:
 *
 * Returns: (transfer none) (nullable): every signed-in account, %NULL
 *   until the configuration has been read
 */
TtdAccounts *
ttd_application_get_accounts (TtdApplication *self)
{
  g_return_val_if_fail (TTD_IS_APPLICATION (self), NULL);

  return self->accounts;
}

static void
set_from_setting (char       **field,
                  GSettings   *settings,
                  const char  *key)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  ttd_config_set (field, value);
}

/**
 * ttd_application_config_from_settings:
 * @settings: the app's settings
 *
 * The configuration as GSettings has it, before the environment and the
 * keyring: what the application starts from, and what Preferences tests
 * the photo host with.
 *
 * Returns: (transfer full): a new configuration
 */
TtdConfig *
ttd_application_config_from_settings (GSettings *settings)
{
  TtdConfig *config;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  config = ttd_config_new ();
  g_clear_pointer (&config->client_key, g_free);
  config->client_key = dup_setting (settings, "client-key");
  set_from_setting (&config->api_base, settings, "api-base");
  config->photo_upload_url = dup_setting (settings, "photo-upload-url");
  config->photo_public_url = dup_setting (settings, "photo-public-url");
  config->photo_auth = dup_setting (settings, "photo-auth");
  config->photo_username = dup_setting (settings, "photo-username");
  config->jpeg_quality = g_settings_get_int (settings, "jpeg-quality");

  /* Empty S3 keys stay unset, so the core's defaults (region "auto",
   * automatic addressing) and its "not configured" sentences apply. */
  set_from_setting (&config->photo_host_type, settings, "photo-host-type");
  set_from_setting (&config->s3_endpoint, settings, "s3-endpoint");
  set_from_setting (&config->s3_bucket, settings, "s3-bucket");
  set_from_setting (&config->s3_region, settings, "s3-region");
  set_from_setting (&config->s3_prefix, settings, "s3-prefix");
  set_from_setting (&config->s3_addressing, settings, "s3-addressing");
  set_from_setting (&config->s3_access_key_id, settings, "s3-access-key-id");

  return config;
}

/**
 * ttd_application_reload_config:
 *
 * Reads the configuration again (asynchronously) and rebuilds the account.
 */
void
ttd_application_reload_config (TtdApplication *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TTD_IS_APPLICATION (self));

  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->reload_cancellable);
  self->reload_cancellable = g_cancellable_new ();

  /* The environment and the keyring are added in config_thread(). */
  task = g_task_new (self, self->reload_cancellable, config_ready_cb, NULL);
  g_task_set_source_tag (task, ttd_application_reload_config);
  g_task_set_task_data (task, ttd_application_config_from_settings (self->settings),
                        (GDestroyNotify) ttd_config_free);
  g_task_run_in_thread (task, config_thread);
}

static gboolean
reload_timeout_cb (gpointer user_data)
{
  TtdApplication *self = user_data;

  self->reload_source = 0;
  ttd_application_reload_config (self);

  return G_SOURCE_REMOVE;
}

/* Typing in Preferences changes a key per keystroke; rebuild once it settles. */
static void
settings_changed_cb (TtdApplication *self,
                     const char     *key)
{
  if (g_str_has_prefix (key, "window-"))
    return;

  g_clear_handle_id (&self->reload_source, g_source_remove);
  self->reload_source = g_timeout_add (RELOAD_DELAY_MS, reload_timeout_cb, self);
}

/**
 * ttd_application_get_account:
 *
 * Returns: (transfer none) (nullable): the account, %NULL until the
 *   configuration has been read.
 */
TtdAccount *
ttd_application_get_account (TtdApplication *self)
{
  g_return_val_if_fail (TTD_IS_APPLICATION (self), NULL);

  return self->account;
}

/**
 * ttd_application_get_session:
 *
 * Returns: (transfer none): what is queued, and sending it
 */
TtdDraftSession *
ttd_application_get_session (TtdApplication *self)
{
  g_return_val_if_fail (TTD_IS_APPLICATION (self), NULL);

  return self->session;
}

GSettings *
ttd_application_get_settings (TtdApplication *self)
{
  g_return_val_if_fail (TTD_IS_APPLICATION (self), NULL);

  return self->settings;
}

static TtdWindow *
ensure_window (TtdApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (TTD_IS_WINDOW (window))
    return TTD_WINDOW (window);

  window = GTK_WINDOW (ttd_window_new (GTK_APPLICATION (self)));
  ttd_window_set_account (TTD_WINDOW (window), self->account);

  return TTD_WINDOW (window);
}

static void
ttd_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (ensure_window (TTD_APPLICATION (app))));
}

/* "Open With" in Files and command-line arguments: the same path as a drop. */
static void
ttd_application_open (GApplication  *app,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  TtdApplication *self = TTD_APPLICATION (app);
  TtdWindow *window = ensure_window (self);

  ttd_draft_session_add_files (self->session, files, (guint) n_files);
  gtk_window_present (GTK_WINDOW (window));
}

char *
ttd_application_dup_debug_info (void)
{
  GString *info = g_string_new (NULL);
  g_autofree char *os = g_get_os_info (G_OS_INFO_KEY_PRETTY_NAME);

  g_string_append_printf (info, "TikTok Drafts %s (%s)\n", PACKAGE_VERSION, APP_ID);
  g_string_append_printf (info, "Flatpak: %s\n",
                          g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) ? "yes" : "no");
  g_string_append_printf (info, "Demo mode: %s\n", ttd_application_is_demo () ? "yes" : "no");
  g_string_append_printf (info, "OS: %s\n", os ? os : "unknown");
  g_string_append (info, "\nLibraries (running / built with):\n");
  g_string_append_printf (info, "GLib: %u.%u.%u / %d.%d.%d\n",
                          glib_major_version, glib_minor_version, glib_micro_version,
                          GLIB_MAJOR_VERSION, GLIB_MINOR_VERSION, GLIB_MICRO_VERSION);
  g_string_append_printf (info, "GTK: %u.%u.%u / %d.%d.%d\n",
                          gtk_get_major_version (), gtk_get_minor_version (),
                          gtk_get_micro_version (),
                          GTK_MAJOR_VERSION, GTK_MINOR_VERSION, GTK_MICRO_VERSION);
  g_string_append_printf (info, "libadwaita: %u.%u.%u / %d.%d.%d\n",
                          adw_get_major_version (), adw_get_minor_version (),
                          adw_get_micro_version (),
                          ADW_MAJOR_VERSION, ADW_MINOR_VERSION, ADW_MICRO_VERSION);
  g_string_append_printf (info, "libsoup: %u.%u.%u / %d.%d.%d\n",
                          soup_get_major_version (), soup_get_minor_version (),
                          soup_get_micro_version (),
                          SOUP_MAJOR_VERSION, SOUP_MINOR_VERSION, SOUP_MICRO_VERSION);
  g_string_append_printf (info, "json-glib: %d.%d.%d (built with)\n",
                          JSON_MAJOR_VERSION, JSON_MINOR_VERSION, JSON_MICRO_VERSION);
  g_string_append_printf (info, "GStreamer video probing: %s\n",
#if HAVE_GSTREAMER
                          "yes"
#else
                          "no"
#endif
                          );

  return g_string_free (info, FALSE);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "The TikTok Drafts authors", NULL };
  g_autofree char *debug_info = ttd_application_dup_debug_info ();
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "modal", TRUE,
                        "application-name", _("TikTok Drafts"),
                        "application-icon", APP_ID,
                        "developer-name", _("The TikTok Drafts authors"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Send videos and photos from your computer to your TikTok inbox as drafts."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        "debug-info", debug_info,
                        "debug-info-filename", "tiktok-drafts-debug.txt",
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  TtdApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *preferences = ttd_preferences_window_new (self->settings);

  gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  g_signal_connect_object (preferences, "secrets-changed",
                           G_CALLBACK (ttd_application_reload_config), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (app));

  /* Closing each window asks first when it is still sending. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static void
activate_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  g_application_activate (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "preferences", preferences_action },
  { "quit", quit_action },
  { "activate", activate_action },
};

static void
ttd_application_startup (GApplication *app)
{
  TtdApplication *self = TTD_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *help_overlay_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (ttd_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay",
                                         help_overlay_accels);

  self->settings = g_settings_new (BASE_APP_ID);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self,
                           G_CONNECT_SWAPPED);

  /* The demo talks to the emulator: keep its sign-in in memory, so it never
   * replaces the creator's real TikTok sign-in in the keyring. */
  if (ttd_application_is_demo ())
    self->store = ttd_memory_token_store_new ();
  else
    self->store = ttd_secret_token_store_new ();

  self->session = ttd_draft_session_new (NULL);
  ttd_draft_session_restore (self->session);
  if (self->dbus_service != NULL)
    ttd_dbus_service_set_session (self->dbus_service, self->session);

  ttd_application_reload_config (self);
}

/* Before startup, on the bus name the application owns (also when it was
 * started by D-Bus activation): the D-Bus API for other programs. */
static gboolean
ttd_application_dbus_register (GApplication     *app,
                               GDBusConnection  *connection,
                               const char       *object_path,
                               GError          **error)
{
  TtdApplication *self = TTD_APPLICATION (app);

  if (!G_APPLICATION_CLASS (ttd_application_parent_class)->dbus_register (app, connection, object_path, error))
    return FALSE;

  g_clear_object (&self->dbus_service);
  self->dbus_service = ttd_dbus_service_new ();
  if (!ttd_dbus_service_register (self->dbus_service, connection, error))
    {
      g_clear_object (&self->dbus_service);
      return FALSE;
    }

  return TRUE;
}

static void
ttd_application_dbus_unregister (GApplication    *app,
                                 GDBusConnection *connection,
                                 const char      *object_path)
{
  TtdApplication *self = TTD_APPLICATION (app);

  if (self->dbus_service != NULL)
    ttd_dbus_service_unregister (self->dbus_service);

  G_APPLICATION_CLASS (ttd_application_parent_class)->dbus_unregister (app, connection, object_path);
}

static void
ttd_application_shutdown (GApplication *app)
{
  TtdApplication *self = TTD_APPLICATION (app);

  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_cancellable_cancel (self->reload_cancellable);

  G_APPLICATION_CLASS (ttd_application_parent_class)->shutdown (app);
}

static void
ttd_application_dispose (GObject *object)
{
  TtdApplication *self = TTD_APPLICATION (object);

  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_clear_object (&self->reload_cancellable);
  g_clear_object (&self->dbus_service);
  g_clear_object (&self->session);
  g_clear_object (&self->account);
  g_clear_object (&self->accounts);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ttd_application_parent_class)->dispose (object);
}

static void
ttd_application_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TtdApplication *self = TTD_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ttd_application_class_init (TtdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ttd_application_dispose;
  object_class->get_property = ttd_application_get_property;
  app_class->startup = ttd_application_startup;
  app_class->shutdown = ttd_application_shutdown;
  app_class->activate = ttd_application_activate;
  app_class->open = ttd_application_open;
  app_class->dbus_register = ttd_application_dbus_register;
  app_class->dbus_unregister = ttd_application_dbus_unregister;

  properties[PROP_ACCOUNT] = g_param_spec_object ("account", NULL, NULL, TTD_TYPE_ACCOUNT,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ttd_application_init (TtdApplication *self)
{
}

TtdApplication *
ttd_application_new (void)
{
  /* The resources live under the base id's path in .Devel builds too. */
  return g_object_new (TTD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/org/cofndrly/TikTokDrafts",
                       NULL);
}
