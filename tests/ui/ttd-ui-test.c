/* ttd-ui-test.c — what the ui suite's programs share: waiting on the main
 * loop, media files to add, the emulator and a signed-in account for it
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <adwaita.h>
#include <libsoup/soup.h>

#include "ttd-core.h"

#include "ttd-ui-test.h"

/* GTK and libadwaita for a test: GSettings in memory, no demo mode, and
 * what TtdApplication gets from AdwApplication and GtkApplication (the
 * app's style sheet and icons). */
void
ttd_test_init_ui (int    *argc,
                  char ***argv)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_unsetenv (TTD_ENV_DEMO);
  gtk_test_init (argc, argv, NULL);
  adw_init ();

  gtk_css_provider_load_from_resource (css, "/org/cofndrly/TikTokDrafts/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/org/cofndrly/TikTokDrafts/icons");
}

/* Runs the main loop until @predicate holds or @timeout_ms have passed. */
void
ttd_test_wait_until (gboolean (*predicate) (gpointer),
                     gpointer   data,
                     guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (!predicate (data) && g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
}

static gboolean
always_false (gpointer data)
{
  return FALSE;
}

void
ttd_test_spin (guint ms)
{
  ttd_test_wait_until (always_false, NULL, ms);
}

/* Writes a PNG of @widget as $G_TEST_BUILDDIR/screenshot-@name.png for
 * people to look at. */
void
ttd_test_save_screenshot (GtkWidget  *widget,
                          const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = g_strdup_printf ("screenshot-%s.png", name);
  g_autofree char *path = NULL;
  const char *dir = g_getenv ("G_TEST_BUILDDIR");
  int width, height;

  /* Let layout, thumbnails and transitions settle. */
  ttd_test_spin (400);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir ? dir : ".", file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* A PNG of one colour with a white diagonal band, so thumbnails are
 * recognisably pictures. */
GFile *
ttd_test_write_png (const char *dir,
                    const char *name,
                    guint32     rgba,
                    int         width,
                    int         height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, width, height);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, rgba);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      if (ABS (x - y) < width / 6)
        {
          guchar *p = gdk_pixbuf_get_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf) + x * 4;

          p[0] = 255; p[1] = 255; p[2] = 255; p[3] = 255;
        }

  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

/* An MP4-looking file: an ISO BMFF `ftyp` box, then pseudo-random bytes. */
GFile *
ttd_test_write_video (const char *dir,
                      const char *name,
                      gsize       size)
{
  static const guint8 header[] = {
    0x00, 0x00, 0x00, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0x00, 0x00, 0x02, 0x00,
    'i', 's', 'o', 'm', 'i', 's', 'o', '2', 'a', 'v', 'c', '1', 'm', 'p', '4', '1',
  };
  g_autofree guint8 *data = g_malloc0 (size);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  memcpy (data, header, sizeof header);
  for (gsize i = sizeof header; i < size; i++)
    data[i] = (guint8) (i * 2654435761u >> 24);

  g_assert_true (g_file_set_contents (path, (const char *) data, size, &error));
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

/* The emulator, and a signed-in account for it. */

void
ttd_test_emulator_stop (TtdTestEmulator *emulator)
{
  if (emulator->process != NULL)
    {
      g_subprocess_force_exit (emulator->process);
      g_subprocess_wait (emulator->process, NULL, NULL);
    }
  g_clear_object (&emulator->process);
  g_clear_pointer (&emulator->url, g_free);
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Starts $TTD_EMULATOR on a free port; FALSE when it is not set. */
gboolean
ttd_test_emulator_start (TtdTestEmulator *emulator)
{
  const char *exe = g_getenv ("TTD_EMULATOR");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;

  if (exe == NULL)
    return FALSE;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* A failed assertion aborts the test; the emulator goes with it instead of
   * holding the test's output open until meson's timeout. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  emulator->process = g_subprocess_launcher_spawn (launcher, &error, exe, "--port", "0",
                                                   "--processing-ms", "100", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (emulator->process));
  emulator->url = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (emulator->url);
  g_assert_true (g_str_has_prefix (emulator->url, "http://127.0.0.1:"));

  return TRUE;
}

typedef struct
{
  char     *code;
  gboolean  browsed;
} SignIn;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SignIn *sign_in = user_data;
  g_autoptr(GError) error = NULL;

  sign_in->code = ttd_auth_flow_wait_finish (TTD_AUTH_FLOW (object), result, &error);
  g_assert_no_error (error);
}

static void
browse_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SignIn *sign_in = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);

  sign_in->browsed = TRUE;
}

static gboolean
signed_in_and_browsed (gpointer data)
{
  SignIn *sign_in = data;

  return sign_in->code != NULL && sign_in->browsed;
}

/* Signs in the way the window does, the test acting as the browser: it
 * follows the authorize page's redirect to the loopback listener. */
TtdAccount *
ttd_test_sign_in_to (TtdTestEmulator *emulator)
{
  g_autoptr(TtdConfig) config = ttd_config_new ();
  g_autoptr(TtdTokenStore) store = ttd_memory_token_store_new ();
  g_autoptr(TtdAccount) account = NULL;
  g_autoptr(TtdAuthFlow) flow = NULL;
  g_autoptr(SoupSession) browser = soup_session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *auth_url = g_strconcat (emulator->url, "/v2/auth/authorize/", NULL);
  g_autoptr(GError) error = NULL;
  SignIn sign_in = { 0 };

  ttd_config_set (&config->client_key, "demo-client-key");
  ttd_config_set (&config->client_secret, "demo-client-secret");
  ttd_config_set (&config->api_base, emulator->url);
  ttd_config_set (&config->auth_url, auth_url);
  account = ttd_account_new (config, store);

  flow = ttd_auth_flow_new_loopback (ttd_account_get_config (account), &error);
  g_assert_no_error (error);
  ttd_auth_flow_wait_async (flow, NULL, wait_cb, &sign_in);
  message = soup_message_new (SOUP_METHOD_GET, ttd_auth_flow_get_authorize_uri (flow));
  soup_session_send_and_read_async (browser, message, G_PRIORITY_DEFAULT, NULL, browse_cb, &sign_in);
  ttd_test_wait_until (signed_in_and_browsed, &sign_in, 20000);
  g_assert_nonnull (sign_in.code);

  g_assert_true (ttd_account_complete_sign_in (account, sign_in.code,
                                               ttd_auth_flow_get_redirect_uri (flow),
                                               ttd_auth_flow_get_code_verifier (flow),
                                               NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ttd_account_is_signed_in (account));
  g_free (sign_in.code);

  return g_steal_pointer (&account);
}
