/* test-dbus-service.c — TtdDbusService on a private bus (suite "ui")
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The D-Bus API without the app around it: a TtdDraftSession and the
 * service on a bus of their own (GTestDBus), called by a second connection
 * as another program would. The introspection data is the installed file;
 * bad calls get their registered error and sentence; calls wait for the
 * configuration at start-up; and with the emulator ($TTD_EMULATOR) a video
 * sent by path and one handed over as a descriptor reach the inbox, which
 * ItemChanged and ListItems report.
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>

#include "ttd-dbus-service.h"
#include "ttd-ui-test.h"

static char *tmpdir;
static GTestDBus *bus;           /* one private bus for all the tests */

typedef struct
{
  GDBusConnection *service_bus;
  GDBusConnection *client;
  TtdDraftSession *session;
  TtdDbusService  *service;
  GPtrArray       *changes;       /* GVariant (sa{sv}): what the client saw of ItemChanged */
  guint            subscription;
} Fixture;

static void
item_changed_cb (GDBusConnection *connection,
                 const char      *sender,
                 const char      *path,
                 const char      *interface,
                 const char      *signal,
                 GVariant        *parameters,
                 gpointer         user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->changes, g_variant_ref (parameters));
}

static GDBusConnection *
connect_to_bus (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection =
    g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);

  g_assert_no_error (error);
  return connection;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *queue_path = g_build_filename (tmpdir, "queue.json", NULL);
  g_autoptr(TtdQueue) queue = NULL;
  g_autoptr(GError) error = NULL;

  g_unlink (queue_path);
  queue = ttd_queue_new (queue_path);
  fixture->service_bus = connect_to_bus ();
  fixture->client = connect_to_bus ();
  fixture->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  fixture->subscription =
    g_dbus_connection_signal_subscribe (fixture->client, NULL, TTD_DBUS_INTERFACE, "ItemChanged",
                                        TTD_DBUS_OBJECT_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        item_changed_cb, fixture, NULL);

  fixture->session = ttd_draft_session_new (queue);
  fixture->service = ttd_dbus_service_new ();
  g_assert_true (ttd_dbus_service_register (fixture->service, fixture->service_bus, &error));
  g_assert_no_error (error);
  if (data == NULL)
    ttd_dbus_service_set_session (fixture->service, fixture->session);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_dbus_connection_signal_unsubscribe (fixture->client, fixture->subscription);
  g_clear_object (&fixture->service);
  g_clear_object (&fixture->session);
  ttd_test_spin (100);
  g_clear_pointer (&fixture->changes, g_ptr_array_unref);
  g_dbus_connection_close_sync (fixture->client, NULL, NULL);
  g_dbus_connection_close_sync (fixture->service_bus, NULL, NULL);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->service_bus);
}

typedef struct
{
  gboolean  done;
  GVariant *reply;
  GError   *error;
} Call;

static void
call_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Call *call = user_data;

  call->reply = g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (object), NULL, result,
                                                                 &call->error);
  call->done = TRUE;
}

static gboolean
call_done (gpointer data)
{
  return ((Call *) data)->done;
}

static void
start_call (Fixture     *fixture,
            const char  *interface,
            const char  *method,
            GVariant    *parameters,
            GUnixFDList *fds,
            Call        *call)
{
  g_dbus_connection_call_with_unix_fd_list (fixture->client,
                                            g_dbus_connection_get_unique_name (fixture->service_bus),
                                            TTD_DBUS_OBJECT_PATH, interface, method, parameters, NULL,
                                            G_DBUS_CALL_FLAGS_NONE, 60000, fds, NULL, call_cb, call);
}

/* Calls @method the way another program does, and waits for the answer. */
static GVariant *
call_method (Fixture      *fixture,
             const char   *method,
             GVariant     *parameters,
             GUnixFDList  *fds,
             GError      **error)
{
  Call call = { 0 };

  start_call (fixture, TTD_DBUS_INTERFACE, method, parameters, fds, &call);
  ttd_test_wait_until (call_done, &call, 60000);
  g_assert_true (call.done);
  if (call.error != NULL)
    g_propagate_error (error, call.error);

  return call.reply;
}

/* Calls Send with @parameters, expecting @dbus_name and a message starting with @says. */
static void
assert_refused (Fixture    *fixture,
                GVariant   *parameters,
                const char *dbus_name,
                const char *says)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = call_method (fixture, "Send", parameters, NULL, &error);
  g_autofree char *name = NULL;

  g_assert_null (reply);
  g_assert_nonnull (error);
  name = g_dbus_error_get_remote_error (error);
  g_assert_cmpstr (name, ==, dbus_name);
  g_dbus_error_strip_remote_error (error);
  if (!g_str_has_prefix (error->message, says))
    g_error ("“%s” does not start with “%s”", error->message, says);
}

static GVariant *
send_args (const char *path,
           const char *options)
{
  const char *paths[] = { path, NULL };

  return g_variant_new ("(^as@a{sv})", paths, g_variant_new_parsed (options));
}

static GVariant *
list_items (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply = call_method (fixture, "ListItems", NULL, NULL, &error);

  g_assert_no_error (error);
  return reply;
}

static TtdAccount *
signed_out_account (void)
{
  g_autoptr(TtdConfig) config = ttd_config_new ();
  g_autoptr(TtdTokenStore) store = ttd_memory_token_store_new ();

  ttd_config_set (&config->client_key, "demo-client-key");
  return ttd_account_new (config, store);
}

/* What other programs are told about the interface is the installed file. */
static void
test_introspection (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "..", "data",
                                                 "org.cofndrly.TikTokDrafts.Drafts1.xml", NULL);
  g_autofree char *installed = NULL;
  g_autoptr(GDBusNodeInfo) file_node = NULL;
  g_autoptr(GDBusNodeInfo) bus_node = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GString) from_file = g_string_new (NULL);
  g_autoptr(GString) from_bus = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *xml;
  Call call = { 0 };

  g_assert_true (g_file_get_contents (path, &installed, NULL, &error));
  file_node = g_dbus_node_info_new_for_xml (installed, &error);
  g_assert_no_error (error);

  start_call (fixture, "org.freedesktop.DBus.Introspectable", "Introspect", NULL, NULL, &call);
  ttd_test_wait_until (call_done, &call, 10000);
  g_assert_no_error (call.error);
  reply = call.reply;
  g_variant_get (reply, "(&s)", &xml);
  bus_node = g_dbus_node_info_new_for_xml (xml, &error);
  g_assert_no_error (error);

  g_assert_nonnull (g_dbus_node_info_lookup_interface (bus_node, TTD_DBUS_INTERFACE));
  g_dbus_interface_info_generate_xml (g_dbus_node_info_lookup_interface (file_node, TTD_DBUS_INTERFACE),
                                      0, from_file);
  g_dbus_interface_info_generate_xml (g_dbus_node_info_lookup_interface (bus_node, TTD_DBUS_INTERFACE),
                                      0, from_bus);
  g_assert_cmpstr (from_bus->str, ==, from_file->str);
  g_assert_nonnull (strstr (from_bus->str, "<method name=\"SendFiles\">"));
  g_assert_nonnull (strstr (from_bus->str, "<signal name=\"ItemChanged\">"));
}

/* Every bad call is a registered error with one sentence, and queues nothing. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(TtdAccount) account = signed_out_account ();
  g_autoptr(GFile) video = ttd_test_write_video (tmpdir, "refused.mp4", 40 * 1024);
  g_autofree char *path = g_file_get_path (video);
  g_autofree char *missing = g_build_filename (tmpdir, "missing.mp4", NULL);
  g_autoptr(GVariant) items = NULL;

  ttd_dbus_service_set_account (fixture->service, account);

  assert_refused (fixture, send_args (path, "{'slideshow': <'yes'>}"),
                  "org.cofndrly.TikTokDrafts.Error.InvalidOption", "The option “slideshow” must be");
  assert_refused (fixture, send_args (path, "{'cover': <-1>, 'slideshow': <true>}"),
                  "org.cofndrly.TikTokDrafts.Error.InvalidOption", "The option “cover” is the number");
  assert_refused (fixture, send_args (path, "{'privacy_level': <'SELF_ONLY'>}"),
                  "org.cofndrly.TikTokDrafts.Error.InvalidOption", "There is no option “privacy_level”");
  assert_refused (fixture, send_args (path, "{'description': <'#tag'>}"),
                  "org.cofndrly.TikTokDrafts.Error.InvalidOption", "TikTok takes a title");
  assert_refused (fixture, send_args ("relative.mp4", "@a{sv} {}"),
                  "org.cofndrly.TikTokDrafts.Error.NotAFile", "“relative.mp4” is not a file");
  assert_refused (fixture, send_args ("file://elsewhere.example/v.mp4", "@a{sv} {}"),
                  "org.cofndrly.TikTokDrafts.Error.NotAFile", "“file://elsewhere.example/v.mp4” is not a file");

  /* Checked before the account: the title is too long for TikTok. */
  {
    g_autoptr(GString) long_title = g_string_new ("{'slideshow': <true>, 'title': <'");
    g_autofree char *options = NULL;

    for (guint i = 0; i < 91; i++)
      g_string_append_c (long_title, 'a');
    g_string_append (long_title, "'>}");
    options = g_string_free (g_steal_pointer (&long_title), FALSE);
    assert_refused (fixture, send_args (path, options),
                    "org.cofndrly.TikTokDrafts.Error.InvalidOption", "The title is 91 characters long");
  }

  /* The files are fine as far as a path goes; nobody is signed in. */
  assert_refused (fixture, send_args (path, "@a{sv} {}"),
                  "org.cofndrly.TikTokDrafts.Error.NotSignedIn", "Nobody is signed in");
  assert_refused (fixture, send_args (missing, "@a{sv} {}"),
                  "org.cofndrly.TikTokDrafts.Error.NotSignedIn", "Nobody is signed in");

  /* A pipe is no file; a handle past the list is none either. */
  {
    g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) reply = NULL;
    const gint32 handles[] = { 0, 3 };
    int pipe_fds[2];

    g_assert_cmpint (pipe (pipe_fds), ==, 0);
    g_unix_fd_list_append (fds, pipe_fds[0], NULL);
    reply = call_method (fixture, "SendFiles",
                         g_variant_new ("(@ah@a{sv})",
                                        g_variant_new_fixed_array (G_VARIANT_TYPE_HANDLE, handles, 1, 4),
                                        g_variant_new_parsed ("@a{sv} {}")),
                         fds, &error);
    g_assert_error (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_NOT_A_FILE);
    g_assert_nonnull (strstr (error->message, "File 1 of the call is not a regular file"));
    g_clear_error (&error);

    reply = call_method (fixture, "SendFiles",
                         g_variant_new ("(@ah@a{sv})",
                                        g_variant_new_fixed_array (G_VARIANT_TYPE_HANDLE, handles, 2, 4),
                                        g_variant_new_parsed ("@a{sv} {}")),
                         fds, &error);
    g_assert_error (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_NOT_A_FILE);
    g_assert_nonnull (strstr (error->message, "File 2 of the call is not among"));
    close (pipe_fds[0]);
    close (pipe_fds[1]);
  }

  items = list_items (fixture);
  g_assert_cmpstr (g_variant_get_type_string (items), ==, "(aa{sv})");
  g_assert_cmpuint (g_variant_n_children (g_variant_get_child_value (items, 0)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (ttd_draft_session_get_items (fixture->session)), ==, 0);
}

/* At start-up a call may come before the configuration is read: it waits
 * for the account instead of failing. */
static void
test_waits_for_configuration (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(TtdAccount) account = signed_out_account ();
  g_autoptr(GFile) video = ttd_test_write_video (tmpdir, "early.mp4", 40 * 1024);
  g_autofree char *path = g_file_get_path (video);
  g_autofree char *name = NULL;
  Call call = { 0 };

  /* No session either, yet: the application sets it at startup. */
  start_call (fixture, TTD_DBUS_INTERFACE, "Send", send_args (path, "@a{sv} {}"), NULL, &call);
  ttd_test_spin (300);
  g_assert_false (call.done);

  ttd_dbus_service_set_session (fixture->service, fixture->session);
  ttd_test_spin (100);
  g_assert_false (call.done);

  ttd_dbus_service_set_account (fixture->service, account);
  ttd_test_wait_until (call_done, &call, 10000);
  g_assert_true (call.done);
  g_assert_nonnull (call.error);
  name = g_dbus_error_get_remote_error (call.error);
  g_assert_cmpstr (name, ==, "org.cofndrly.TikTokDrafts.Error.NotSignedIn");
  g_clear_error (&call.error);
}

typedef struct
{
  Fixture    *fixture;
  const char *id;
  const char *state;
} Seen;

static gboolean
saw_state (gpointer data)
{
  Seen *seen = data;

  for (guint i = 0; i < seen->fixture->changes->len; i++)
    {
      const char *id, *state = NULL;
      g_autoptr(GVariant) dict = NULL;

      g_variant_get (g_ptr_array_index (seen->fixture->changes, i), "(&s@a{sv})", &id, &dict);
      if (g_str_equal (id, seen->id) && g_variant_lookup (dict, "state", "&s", &state) &&
          g_str_equal (state, seen->state))
        return TRUE;
    }

  return FALSE;
}

/* ListItems' entry for @id, or NULL. */
static GVariant *
listed (Fixture    *fixture,
        const char *id)
{
  g_autoptr(GVariant) reply = list_items (fixture);
  g_autoptr(GVariant) items = g_variant_get_child_value (reply, 0);

  for (gsize i = 0; i < g_variant_n_children (items); i++)
    {
      g_autoptr(GVariant) item = g_variant_get_child_value (items, i);
      const char *item_id;

      if (g_variant_lookup (item, "id", "&s", &item_id) && g_str_equal (item_id, id))
        return g_steal_pointer (&item);
    }

  return NULL;
}

static char *
send_one (Fixture      *fixture,
          const char   *method,
          GVariant     *parameters,
          GUnixFDList  *fds)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = call_method (fixture, method, parameters, fds, &error);
  g_autofree const char **ids = NULL;

  g_assert_no_error (error);
  g_variant_get (reply, "(^a&s)", &ids);
  g_assert_cmpuint (g_strv_length ((char **) ids), ==, 1);

  return g_strdup (ids[0]);
}

static void
assert_delivered (Fixture    *fixture,
                  const char *id,
                  const char *open_id)
{
  Seen done = { fixture, id, "done" };
  g_autoptr(GVariant) item = NULL;
  const char *value;

  ttd_test_wait_until (saw_state, &done, 60000);
  g_assert_true (saw_state (&done));
  item = listed (fixture, id);
  g_assert_nonnull (item);
  g_assert_true (g_variant_lookup (item, "state", "&s", &value));
  g_assert_cmpstr (value, ==, "done");
  g_assert_true (g_variant_lookup (item, "kind", "&s", &value));
  g_assert_cmpstr (value, ==, "video");
  g_assert_true (g_variant_lookup (item, "publish_id", "&s", &value));
  g_assert_true (g_str_has_prefix (value, "v_inbox"));
  g_assert_true (g_variant_lookup (item, "account", "&s", &value));
  g_assert_cmpstr (value, ==, open_id);
}

static gboolean
no_received_copies (gpointer data)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "tiktok-drafts", "received", NULL);
  g_autoptr(GDir) received = g_dir_open (dir, 0, NULL);

  return received == NULL || g_dir_read_name (received) == NULL;
}

/* Sent by path and by descriptor, by open_id and by display name: each
 * reaches the emulator's inbox, ItemChanged and ListItems say so. */
static void
test_send (Fixture       *fixture,
           gconstpointer  data)
{
  TtdTestEmulator emulator = { 0 };
  g_autoptr(TtdAccount) account = NULL;
  g_autoptr(TtdTokens) tokens = NULL;
  g_autoptr(GFile) first = ttd_test_write_video (tmpdir, "first.mp4", 300 * 1024 + 1);
  g_autoptr(GFile) second = ttd_test_write_video (tmpdir, "second.mp4", 200 * 1024 + 3);
  g_autoptr(GFile) handed = ttd_test_write_video (tmpdir, "handed.mp4", 100 * 1024 + 7);
  g_autoptr(GFile) picture = ttd_test_write_png (tmpdir, "picture.png", 0xe66100ff, 64, 48);
  g_autofree char *first_path = g_file_get_path (first);
  g_autofree char *second_uri = g_file_get_uri (second);
  g_autofree char *handed_path = g_file_get_path (handed);
  g_autofree char *picture_path = g_file_get_path (picture);
  g_autofree char *id = NULL;
  g_autofree char *options = NULL;

  if (!ttd_test_emulator_start (&emulator))
    {
      g_test_skip ("TTD_EMULATOR is not set");
      return;
    }
  account = ttd_test_sign_in_to (&emulator);
  tokens = ttd_account_dup_tokens (account);
  /* As the app before its window has signed in: only the service has it. */
  ttd_dbus_service_set_account (fixture->service, account);

  id = send_one (fixture, "Send", send_args (first_path, "@a{sv} {}"), NULL);
  assert_delivered (fixture, id, tokens->open_id);
  g_assert_true (ttd_draft_session_get_account (fixture->session) == account);
  g_clear_pointer (&id, g_free);

  assert_refused (fixture, send_args (first_path, "{'account': <'nobody'>}"),
                  "org.cofndrly.TikTokDrafts.Error.UnknownAccount", "No TikTok account called “nobody” is signed in.");
  assert_refused (fixture, send_args (picture_path, "{'slideshow': <true>}"),
                  "org.cofndrly.TikTokDrafts.Error.NoPhotoHost", "TikTok fetches photos from a web address");
  assert_refused (fixture, send_args (picture_path, "@a{sv} {}"),
                  "org.cofndrly.TikTokDrafts.Error.WrongKind", "“picture.png” is a picture");

  /* By display name, as TikTok has it (the emulator's "Demo Creator"). */
  id = send_one (fixture, "Send", send_args (second_uri, "{'account': <'Demo Creator'>}"), NULL);
  assert_delivered (fixture, id, tokens->open_id);
  g_clear_pointer (&id, g_free);

  /* Handed over: copied, sent, and the copy deleted. */
  {
    g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
    int fd = open (handed_path, O_RDONLY | O_CLOEXEC);
    const gint32 handle = 0;

    g_assert_cmpint (fd, >=, 0);
    g_unix_fd_list_append (fds, fd, NULL);
    close (fd);
    options = g_strdup_printf ("{'account': <'%s'>}", tokens->open_id);
    id = send_one (fixture, "SendFiles",
                   g_variant_new ("(@ah@a{sv})",
                                  g_variant_new_fixed_array (G_VARIANT_TYPE_HANDLE, &handle, 1, 4),
                                  g_variant_new_parsed (options)),
                   fds);
    assert_delivered (fixture, id, tokens->open_id);
    ttd_test_wait_until (no_received_copies, NULL, 5000);
    g_assert_true (no_received_copies (NULL));
  }

  /* Taken out of the queue: "removed". */
  {
    Seen removed = { fixture, id, "removed" };

    ttd_draft_session_clear_sent (fixture->session);
    ttd_test_wait_until (saw_state, &removed, 5000);
    g_assert_true (saw_state (&removed));
  }

  ttd_test_emulator_stop (&emulator);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmpdir = g_dir_make_tmp ("ttd-dbus-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  /* The descriptor copies go below the cache: this test's own. */
  g_setenv ("XDG_CACHE_HOME", tmpdir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_test_init (&argc, &argv, NULL);
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  g_test_add ("/ttd/dbus/introspection", Fixture, NULL, fixture_setup, test_introspection, fixture_teardown);
  g_test_add ("/ttd/dbus/refused", Fixture, NULL, fixture_setup, test_refused, fixture_teardown);
  g_test_add ("/ttd/dbus/waits-for-configuration", Fixture, "no session", fixture_setup,
              test_waits_for_configuration, fixture_teardown);
  g_test_add ("/ttd/dbus/send", Fixture, NULL, fixture_setup, test_send, fixture_teardown);

  status = g_test_run ();
  g_test_dbus_down (bus);
  g_clear_object (&bus);

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);

    (void) !system (cmd);
  }

  return status;
}
