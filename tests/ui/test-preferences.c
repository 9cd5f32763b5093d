/* test-preferences.c — Preferences under Xvfb (suite "ui"): the photo host
 * type and its rows, where the S3 settings and the secret go, and “Test
 * Photo Host” against a small bucket-like server on the main loop.
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rows are found by their titles and the button by its label, as a
 * screen reader (and dogtail in tests/e2e) finds them. GSettings is the
 * memory backend; the keyring is run-in-session.sh's real one.
 */

#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "ttd-application.h"
#include "ttd-preferences-window.h"
#include "ttd-ui-test.h"

#define KEY_ID     "AKIDPREFSTEST01"
#define SECRET     "prefs/S3cret+Access-Key"
#define TEST_LABEL "Test Photo Host"

static GSettings *settings;

/* What the window shows */

static GtkWidget *
find_widget (GtkWidget *root,
             gboolean (*match) (GtkWidget *, gconstpointer),
             gconstpointer data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
row_has_title (GtkWidget     *widget,
               gconstpointer  title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
button_has_label (GtkWidget     *widget,
                  gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static gboolean
is_shown_label (GtkWidget     *widget,
                gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_is_visible (widget) &&
         g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

static gboolean
is_error_answer (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_is_visible (widget) &&
         gtk_widget_has_css_class (widget, "error");
}

static gboolean
is_spinning (GtkWidget     *widget,
             gconstpointer  data)
{
  return GTK_IS_SPINNER (widget) && gtk_widget_is_visible (widget);
}

static GtkWidget *
row (GtkWidget  *window,
     const char *title)
{
  GtkWidget *found = find_widget (window, row_has_title, title);

  if (found == NULL)
    g_error ("Preferences have no row “%s”", title);

  return found;
}

static gboolean
row_shown (GtkWidget  *window,
           const char *title)
{
  return gtk_widget_is_visible (row (window, title));
}

static void
type_into (GtkWidget  *window,
           const char *title,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row (window, title)), text);
}

static void
select_item (GtkWidget  *window,
             const char *title,
             guint       position)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (row (window, title)), position);
}

static GtkWidget *
test_button (GtkWidget *window)
{
  GtkWidget *button = find_widget (window, button_has_label, TEST_LABEL);

  g_assert_nonnull (button);
  return button;
}

static GtkWidget *
open_preferences (void)
{
  GtkWidget *window = ttd_preferences_window_new (settings);

  /* Tall enough for the S3 rows and the test's answer in one screenshot. */
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 1180);
  gtk_window_present (GTK_WINDOW (window));
  ttd_test_spin (100);

  return window;
}

static void
reset_settings (void)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

static char *
dup_setting (const char *key)
{
  return g_settings_get_string (settings, key);
}

#define assert_setting(key, expected) \
  G_STMT_START { \
    g_autofree char *value_ = dup_setting (key); \
    g_assert_cmpstr (value_, ==, expected); \
  } G_STMT_END

static const char *webdav_rows[] = { "Upload Address", "Authentication", NULL };
static const char *s3_rows[] = {
  "Endpoint", "Bucket", "Region", "Key Prefix", "Access Key ID", "Secret Access Key", "Addressing", NULL,
};

static void
assert_rows_shown (GtkWidget   *window,
                   const char **titles,
                   gboolean     shown)
{
  for (guint i = 0; titles[i] != NULL; i++)
    if (row_shown (window, titles[i]) != shown)
      g_error ("the row “%s” is %s", titles[i], shown ? "hidden" : "shown");
}

/* The host type decides which rows there are. */
static void
test_host_type_rows (void)
{
  GtkWidget *window;

  reset_settings ();
  window = open_preferences ();

  /* WebDAV, no authentication: the default. */
  assert_rows_shown (window, webdav_rows, TRUE);
  assert_rows_shown (window, s3_rows, FALSE);
  g_assert_true (row_shown (window, "Public Address (if different)"));
  g_assert_false (row_shown (window, "User Name"));
  g_assert_false (row_shown (window, "Password"));
  g_assert_true (gtk_widget_is_visible (test_button (window)));

  select_item (window, "Authentication", 1);
  assert_setting ("photo-auth", "basic");
  g_assert_true (row_shown (window, "User Name"));
  g_assert_true (row_shown (window, "Password"));

  select_item (window, "Host Type", 1);
  assert_setting ("photo-host-type", "s3");
  assert_rows_shown (window, s3_rows, TRUE);
  assert_rows_shown (window, webdav_rows, FALSE);
  g_assert_false (row_shown (window, "User Name"));
  g_assert_false (row_shown (window, "Password"));
  /* For a bucket the public address is no option, and says so. */
  g_assert_true (row_shown (window, "Public Address"));
  g_assert_null (find_widget (window, row_has_title, "Public Address (if different)"));
  g_assert_true (gtk_widget_is_visible (test_button (window)));

  select_item (window, "Host Type", 0);
  assert_setting ("photo-host-type", "webdav");
  assert_rows_shown (window, webdav_rows, TRUE);
  assert_rows_shown (window, s3_rows, FALSE);
  g_assert_true (row_shown (window, "User Name"));
  gtk_window_destroy (GTK_WINDOW (window));

  /* Opened on an S3 host, it shows the S3 rows with what is saved. */
  g_settings_set_string (settings, "photo-host-type", "s3");
  g_settings_set_string (settings, "s3-bucket", "saved-bucket");
  g_settings_set_string (settings, "s3-addressing", "virtual");
  window = open_preferences ();
  assert_rows_shown (window, s3_rows, TRUE);
  assert_rows_shown (window, webdav_rows, FALSE);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row (window, "Host Type"))), ==, 1);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row (window, "Addressing"))), ==, 2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (window, "Bucket"))), ==, "saved-bucket");
  /* The region's default shows, rather than an empty row. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (window, "Region"))), ==, "auto");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
count_signal (gpointer user_data)
{
  (*(guint *) user_data)++;
}

static gboolean
nonzero (gpointer data)
{
  return *(guint *) data != 0;
}

static gboolean
secret_row_filled (gpointer data)
{
  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row (data, "Secret Access Key"))), SECRET) == 0;
}

static char *
keyring_s3_secret (void)
{
  g_autoptr(TtdConfig) config = ttd_application_config_from_settings (settings);
  g_autofree char *key = ttd_config_s3_secret_key (config);

  g_assert_nonnull (key);
  return ttd_secret_lookup_password ("s3-secret", key, NULL, NULL);
}

/* Plain settings go to GSettings as typed (trimmed); the secret access
 * key goes to the keyring only, under the endpoint and key ID. */
static void
test_s3_settings_saved (void)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  g_autoptr(TtdConfig) config = NULL;
  GtkWidget *window;
  guint saved = 0;
  char *stored;

  reset_settings ();
  window = open_preferences ();
  g_signal_connect_swapped (window, "secrets-changed", G_CALLBACK (count_signal), &saved);

  select_item (window, "Host Type", 1);
  type_into (window, "Endpoint", "  https://acct.r2.cloudflarestorage.com ");
  type_into (window, "Bucket", "photos");
  type_into (window, "Region", "us-east-1");
  type_into (window, "Key Prefix", "tiktok/");
  type_into (window, "Access Key ID", KEY_ID);
  type_into (window, "Public Address", "https://photos.example.org/");
  select_item (window, "Addressing", 1);
  type_into (window, "Secret Access Key", SECRET);

  assert_setting ("photo-host-type", "s3");
  assert_setting ("s3-endpoint", "https://acct.r2.cloudflarestorage.com");
  assert_setting ("s3-bucket", "photos");
  assert_setting ("s3-region", "us-east-1");
  assert_setting ("s3-prefix", "tiktok/");
  assert_setting ("s3-access-key-id", KEY_ID);
  assert_setting ("photo-public-url", "https://photos.example.org/");
  assert_setting ("s3-addressing", "path");

  /* The keyring write waits for a pause in typing. */
  ttd_test_wait_until (nonzero, &saved, 5000);
  g_assert_cmpuint (saved, ==, 1);
  stored = keyring_s3_secret ();
  g_assert_cmpstr (stored, ==, SECRET);
  ttd_secure_free (stored);

  /* No setting holds the secret, or any piece of it. */
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, FALSE);

      if (strstr (printed, "S3cret") != NULL)
        g_error ("the setting %s holds the secret access key", keys[i]);
    }

  /* What the application builds its configuration from. */
  config = ttd_application_config_from_settings (settings);
  g_assert_true (ttd_config_photo_host_is_s3 (config));
  g_assert_cmpstr (config->s3_endpoint, ==, "https://acct.r2.cloudflarestorage.com");
  g_assert_cmpstr (config->s3_bucket, ==, "photos");
  g_assert_cmpstr (config->s3_region, ==, "us-east-1");
  g_assert_cmpstr (config->s3_prefix, ==, "tiktok/");
  g_assert_cmpstr (config->s3_addressing, ==, "path");
  g_assert_cmpstr (config->s3_access_key_id, ==, KEY_ID);
  g_assert_cmpstr (config->photo_public_url, ==, "https://photos.example.org/");
  g_assert_null (config->s3_secret_access_key);
  g_assert_true (ttd_config_photo_host_configured (config));
  ttd_config_load_secrets (config, NULL);
  g_assert_cmpstr (config->s3_secret_access_key, ==, SECRET);

  /* A new key ID: the secret typed is kept for the new pair too. */
  saved = 0;
  type_into (window, "Access Key ID", KEY_ID "B");
  ttd_test_wait_until (nonzero, &saved, 5000);
  g_assert_cmpuint (saved, ==, 1);
  stored = keyring_s3_secret ();
  g_assert_cmpstr (stored, ==, SECRET);
  ttd_secure_free (stored);
  gtk_window_destroy (GTK_WINDOW (window));

  /* Opened again, the secret row is filled from the keyring. */
  window = open_preferences ();
  ttd_test_wait_until (secret_row_filled, window, 5000);
  g_assert_true (secret_row_filled (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Empty settings are unset, so the core's defaults and its sentences for
 * what is missing apply; an empty public address is the upload address,
 * for WebDAV only. */
static void
test_config_from_settings (void)
{
  g_autoptr(TtdConfig) config = NULL;

  reset_settings ();
  config = ttd_application_config_from_settings (settings);
  g_assert_cmpstr (config->photo_host_type, ==, TTD_PHOTO_HOST_WEBDAV);
  g_assert_false (ttd_config_photo_host_is_s3 (config));
  g_assert_null (config->s3_endpoint);
  g_assert_null (config->s3_bucket);
  g_assert_null (config->s3_prefix);
  g_assert_null (config->s3_access_key_id);
  g_assert_cmpstr (config->s3_region, ==, "auto");
  g_clear_pointer (&config, ttd_config_free);

  g_settings_set_string (settings, "s3-region", "");
  g_settings_set_string (settings, "s3-prefix", "");
  config = ttd_application_config_from_settings (settings);
  g_assert_null (config->s3_region);
  g_assert_null (config->s3_prefix);
  g_assert_cmpstr (config->s3_addressing, ==, "auto");
  g_clear_pointer (&config, ttd_config_free);

  /* A WebDAV host's public address is its upload address unless set… */
  g_settings_set_string (settings, "photo-upload-url", "https://dav.example.org/upload/");
  config = ttd_application_config_from_settings (settings);
  ttd_application_config_finish (config, NULL);
  g_assert_cmpstr (config->photo_public_url, ==, "https://dav.example.org/upload/");
  g_assert_true (ttd_config_photo_host_configured (config));
  g_clear_pointer (&config, ttd_config_free);

  g_settings_set_string (settings, "photo-public-url", "https://photos.example.org/");
  config = ttd_application_config_from_settings (settings);
  ttd_application_config_finish (config, NULL);
  g_assert_cmpstr (config->photo_public_url, ==, "https://photos.example.org/");
  g_clear_pointer (&config, ttd_config_free);

  /* …a bucket's never: its S3 address is not where TikTok may fetch. */
  g_settings_set_string (settings, "photo-public-url", "");
  g_settings_set_string (settings, "photo-host-type", "s3");
  g_settings_set_string (settings, "s3-access-key-id", KEY_ID);
  config = ttd_application_config_from_settings (settings);
  ttd_application_config_finish (config, NULL);
  g_assert_true (config->photo_public_url == NULL || *config->photo_public_url == '\0');
  g_assert_false (ttd_config_photo_host_configured (config));
}

/* A bucket-like server on the main loop: PUT and DELETE of /BUCKET/KEY
 * (signatures are tests/s3's business), GET /public/KEY. */
typedef struct
{
  SoupServer *server;
  char       *url;
  GHashTable *objects;     /* key → GBytes */
  guint       puts;
  guint       deletes;
  char       *last_authorization;
} Bucket;

static void
bucket_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Bucket *bucket = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *key;

  if (g_str_has_prefix (path, "/public/"))
    {
      GBytes *bytes = g_hash_table_lookup (bucket->objects, path + strlen ("/public/"));

      if (bytes == NULL || !g_str_equal (method, "GET"))
        {
          soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
          return;
        }
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "image/jpeg", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      return;
    }

  if (!g_str_has_prefix (path, "/photos/"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  key = path + strlen ("/photos/");
  g_free (bucket->last_authorization);
  bucket->last_authorization = g_strdup (soup_message_headers_get_one (
      soup_server_message_get_request_headers (msg), "Authorization"));

  if (g_str_equal (method, "PUT"))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);

      bucket->puts++;
      g_hash_table_insert (bucket->objects, g_strdup (key), g_bytes_ref (bytes));
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    }
  else if (g_str_equal (method, "DELETE"))
    {
      bucket->deletes++;
      g_hash_table_remove (bucket->objects, key);
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
}

static Bucket *
bucket_new (void)
{
  Bucket *bucket = g_new0 (Bucket, 1);
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  bucket->objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  bucket->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (bucket->server, NULL, bucket_handler, bucket, NULL);
  g_assert_true (soup_server_listen_local (bucket->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (bucket->server);
  bucket->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));

  return bucket;
}

static void
bucket_free (Bucket *bucket)
{
  soup_server_disconnect (bucket->server);
  g_object_unref (bucket->server);
  g_hash_table_unref (bucket->objects);
  g_free (bucket->url);
  g_free (bucket->last_authorization);
  g_free (bucket);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Bucket, bucket_free)

static gboolean
button_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (test_button (data));
}

static void
fill_s3_rows (GtkWidget  *window,
              const char *endpoint,
              const char *public_url)
{
  select_item (window, "Host Type", 1);
  type_into (window, "Endpoint", endpoint);
  type_into (window, "Bucket", "photos");
  type_into (window, "Key Prefix", "ttd");
  type_into (window, "Access Key ID", KEY_ID);
  type_into (window, "Public Address", public_url);
}

static void
press_test_and_wait (GtkWidget *window)
{
  g_signal_emit_by_name (test_button (window), "clicked");
  g_assert_false (gtk_widget_get_sensitive (test_button (window)));
  g_assert_nonnull (find_widget (window, is_spinning, NULL));
  ttd_test_wait_until (button_sensitive, window, 20000);
  g_assert_true (button_sensitive (window));
  g_assert_null (find_widget (window, is_spinning, NULL));
}

/* “Test Photo Host” tests what the rows say, the secret as typed (before
 * its pause is over), and shows the answer under the button. */
static void
test_photo_host_test (void)
{
  g_autoptr(Bucket) bucket = bucket_new ();
  g_autofree char *public_url = g_strconcat (bucket->url, "/public/", NULL);
  g_autofree char *credential = g_strconcat ("Credential=", KEY_ID, "/", NULL);
  g_autoptr(TtdConfig) config = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(TtdPhotoHost) host = NULL;
  g_autoptr(GError) error = NULL;
  const char *works = "The photo host works: a test photo was stored, served at its public address as "
                      "TikTok fetches it, and deleted.";
  GtkWidget *window;
  GtkWidget *answer;

  reset_settings ();
  window = open_preferences ();

  /* Nothing filled in: the core's sentence for what is missing. */
  select_item (window, "Host Type", 1);
  config = ttd_application_config_from_settings (settings);
  host = ttd_photo_host_new (config, session, &error);
  g_assert_null (host);
  g_assert_nonnull (error);
  press_test_and_wait (window);
  answer = find_widget (window, is_shown_label, error->message);
  g_assert_nonnull (answer);
  g_assert_true (gtk_widget_has_css_class (answer, "error"));
  g_assert_cmpuint (bucket->puts, ==, 0);

  /* Editing a setting takes the answer away: it was about the old ones. */
  fill_s3_rows (window, bucket->url, public_url);
  g_assert_false (gtk_widget_is_visible (answer));

  type_into (window, "Secret Access Key", SECRET);
  press_test_and_wait (window);
  answer = find_widget (window, is_shown_label, works);
  g_assert_nonnull (answer);
  g_assert_true (gtk_widget_has_css_class (answer, "success"));
  g_assert_false (gtk_widget_has_css_class (answer, "error"));
  g_assert_cmpuint (bucket->puts, ==, 1);
  g_assert_cmpuint (bucket->deletes, ==, 1);
  g_assert_cmpuint (g_hash_table_size (bucket->objects), ==, 0);
  g_assert_nonnull (bucket->last_authorization);
  g_assert_true (g_str_has_prefix (bucket->last_authorization, "AWS4-HMAC-SHA256 "));
  g_assert_nonnull (strstr (bucket->last_authorization, credential));
  ttd_test_save_screenshot (window, "preferences-s3");

  /* The public address does not serve the photo: the core's sentence. */
  type_into (window, "Public Address", bucket->url);
  press_test_and_wait (window);
  g_assert_null (find_widget (window, is_shown_label, works));
  g_assert_cmpuint (bucket->puts, ==, 2);
  g_assert_cmpuint (bucket->deletes, ==, 2);
  answer = find_widget (window, is_error_answer, NULL);
  g_assert_nonnull (answer);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (answer)), !=, "");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A host that never answers */

static gboolean
hold_connection (GSocketService    *service,
                 GSocketConnection *connection,
                 GObject           *source,
                 gpointer           user_data)
{
  g_ptr_array_add (user_data, g_object_ref (connection));
  return TRUE;
}

static gboolean
has_connection (gpointer data)
{
  return ((GPtrArray *) data)->len > 0;
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Closing Preferences while a test waits on the host cancels the test: the
 * window goes at once, not when the host's timeout is over. */
static void
test_photo_host_test_cancelled (void)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *public_url = NULL;
  guint16 port;
  GtkWidget *window;
  gpointer alive;
  gint64 start;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (hold_connection), held);
  g_socket_service_start (service);
  endpoint = g_strdup_printf ("http://127.0.0.1:%u", port);
  public_url = g_strdup_printf ("http://127.0.0.1:%u/public/", port);

  reset_settings ();
  window = open_preferences ();
  fill_s3_rows (window, endpoint, public_url);
  type_into (window, "Secret Access Key", SECRET);
  g_signal_emit_by_name (test_button (window), "clicked");
  ttd_test_wait_until (has_connection, held, 5000);
  g_assert_cmpuint (held->len, >=, 1);
  ttd_test_spin (200);
  g_assert_nonnull (find_widget (window, is_spinning, NULL));
  g_assert_false (gtk_widget_get_sensitive (test_button (window)));

  alive = window;
  g_object_add_weak_pointer (G_OBJECT (window), &alive);
  start = g_get_monotonic_time ();
  gtk_window_destroy (GTK_WINDOW (window));
  ttd_test_wait_until (is_null, &alive, 10000);
  g_assert_null (alive);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);

  g_socket_service_stop (service);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  ttd_test_init_ui (&argc, &argv);

  settings = g_settings_new (BASE_APP_ID);

  g_test_add_func ("/ttd/ui/preferences/host-type-rows", test_host_type_rows);
  g_test_add_func ("/ttd/ui/preferences/s3-settings-saved", test_s3_settings_saved);
  g_test_add_func ("/ttd/ui/preferences/config-from-settings", test_config_from_settings);
  g_test_add_func ("/ttd/ui/preferences/test-photo-host", test_photo_host_test);
  g_test_add_func ("/ttd/ui/preferences/test-cancelled-on-close", test_photo_host_test_cancelled);

  status = g_test_run ();
  g_object_unref (settings);

  return status;
}
