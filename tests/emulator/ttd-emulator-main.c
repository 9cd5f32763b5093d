/* ttd-emulator-main.c
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tiktok-drafts-emulator: the TikTok API emulator (ttd-emulator-private.h
 * lists its endpoints) as a program, for the integration and e2e tests and
 * the app's demo mode.
 *
 * Usage:
 *   tiktok-drafts-emulator [--port N]                 (0 = ephemeral, default)
 *                          [--client-key K]           (demo-client-key)
 *                          [--client-secret S]        (demo-client-secret)
 *                          [--redirect-uri PATTERN]…  (default http://127.0.0.1:*\/callback/
 *                                                      and http://localhost:*\/callback/)
 *                          [--access-ttl SECONDS]     (86400)
 *                          [--refresh-ttl SECONDS]    (31536000)
 *                          [--upload-url-ttl SECONDS] (3600)
 *                          [--processing-ms MS]       (1500)
 *                          [--verified-prefix URL]…   (https://…, or http://127.0.0.1:… /
 *                                                      http://localhost:… for tests; a
 *                                                      missing trailing "/" is appended)
 *                          [--display-name NAME]      ("Demo Creator")
 *                          [--url-file PATH]
 *
 * Once listening it prints exactly one line "http://127.0.0.1:PORT" on stdout
 * (and atomically writes it to --url-file), then logs "METHOD PATH STATUS"
 * per request on stderr (never query strings, tokens, codes or secrets).
 * SIGINT/SIGTERM exit cleanly.
 */

#include <signal.h>
#include <stdio.h>

#include <glib.h>
#include <glib-unix.h>
#include <gio/gio.h>

#include "ttd-emulator.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  TtdEmulatorConfig config;
  int port = 0;
  g_autofree char *client_key = NULL;
  g_autofree char *client_secret = NULL;
  g_auto(GStrv) redirect_uris = NULL;
  g_auto(GStrv) verified_prefixes = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *url_file = NULL;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0 = ephemeral)", "N" },
    { "client-key", 0, 0, G_OPTION_ARG_STRING, &client_key, "Registered client key", "K" },
    { "client-secret", 0, 0, G_OPTION_ARG_STRING, &client_secret, "Client secret", "S" },
    { "redirect-uri", 0, 0, G_OPTION_ARG_STRING_ARRAY, &redirect_uris,
      "Registered redirect URI pattern (repeatable; * port wildcard)", "PATTERN" },
    { "access-ttl", 0, 0, G_OPTION_ARG_INT64, &config.access_ttl, "Access token lifetime", "SECONDS" },
    { "refresh-ttl", 0, 0, G_OPTION_ARG_INT64, &config.refresh_ttl, "Refresh token lifetime", "SECONDS" },
    { "upload-url-ttl", 0, 0, G_OPTION_ARG_INT64, &config.upload_url_ttl, "Upload URL lifetime", "SECONDS" },
    { "processing-ms", 0, 0, G_OPTION_ARG_INT, &config.processing_ms,
      "Time a finished upload/pull stays PROCESSING_*", "MS" },
    { "verified-prefix", 0, 0, G_OPTION_ARG_STRING_ARRAY, &verified_prefixes,
      "Verified URL prefix for PULL_FROM_URL (repeatable)", "URL" },
    { "display-name", 0, 0, G_OPTION_ARG_STRING, &display_name, "Emulated user's name", "NAME" },
    { "url-file", 0, 0, G_OPTION_ARG_FILENAME, &url_file, "Write the base URL here", "PATH" },
    { "choose-account", 0, 0, G_OPTION_ARG_NONE, &config.choose_account,
      "The authorize page asks which user to sign in as (demo mode)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdEmulator) emulator = NULL;
  g_autoptr(GMainLoop) loop = NULL;

  ttd_emulator_config_init (&config);
  context = g_option_context_new ("- local TikTok API emulator for TikTok Drafts tests");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tiktok-drafts-emulator: %s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535 || config.access_ttl < 0 || config.refresh_ttl < 0 ||
      config.upload_url_ttl < 0 || config.processing_ms < 0)
    {
      g_printerr ("tiktok-drafts-emulator: numeric options must be non-negative (port <= 65535)\n");
      return 2;
    }

  if (client_key != NULL)
    config.client_key = client_key;
  if (client_secret != NULL)
    config.client_secret = client_secret;
  if (redirect_uris != NULL && redirect_uris[0] != NULL)
    config.redirect_uris = (const char * const *) redirect_uris;
  config.verified_prefixes = (const char * const *) verified_prefixes;
  if (display_name != NULL)
    config.display_name = display_name;

  emulator = ttd_emulator_new (&config, &error);
  if (emulator == NULL)
    {
      g_printerr ("tiktok-drafts-emulator: %s\n", error->message);
      return error->domain == G_OPTION_ERROR ? 2 : 1;
    }
  if (!ttd_emulator_start (emulator, (guint) port, &error))
    {
      g_printerr ("tiktok-drafts-emulator: %s\n", error->message);
      return 1;
    }

  printf ("%s\n", ttd_emulator_get_base_url (emulator));
  fflush (stdout);

  if (url_file != NULL)
    {
      g_autofree char *line = g_strconcat (ttd_emulator_get_base_url (emulator), "\n", NULL);

      if (!g_file_set_contents (url_file, line, -1, &error))
        {
          g_printerr ("tiktok-drafts-emulator: %s\n", error->message);
          return 1;
        }
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  return 0;
}
