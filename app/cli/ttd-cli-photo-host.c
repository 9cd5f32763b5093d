/* ttd-cli-photo-host.c — the “photo-host” command: check the photo host,
 * keep an S3 secret access key in the keyring
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#include "ttd-cli.h"
#include "ttd-secure.h"

static int
photo_host_check (Cli *cli)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(TtdPhotoHost) host = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  cli_build_config (cli);
  host = ttd_photo_host_new (cli->config, session, &error);
  ok = host != NULL && ttd_photo_host_test (host, cli->cancellable, &error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_add_bool (builder, "ok", ok);
      cli_add_string (builder, "type", ttd_config_photo_host_is_s3 (cli->config) ? TTD_PHOTO_HOST_S3
                                                                                 : TTD_PHOTO_HOST_WEBDAV);
      cli_add_string (builder, "host", host != NULL ? ttd_photo_host_get_id (host) : NULL);
      cli_add_string (builder, "public_url", cli->config->photo_public_url);
      if (error != NULL)
        cli_add_string (builder, "error", error->message);
      json_builder_end_object (builder);
      cli_print_json_object (builder);
      return ok ? EXIT_OK : cli_exit_code_for (error);
    }

  if (!ok)
    return cli_fail (cli, error);

  g_print ("%s\n", _("The photo host works: a test photo was stored, served at its public address as TikTok fetches it, and deleted."));
  return EXIT_OK;
}

/* One line from standard input, never from argv or the environment. */
static char *
read_secret_from_stdin (void)
{
  char buffer[1024];
  char *secret;

  if (isatty (STDIN_FILENO))
    g_printerr (_("Secret access key (then Enter): "));

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    return NULL;

  g_strstrip (buffer);
  secret = g_strdup (buffer);
  explicit_bzero (buffer, sizeof buffer);
  return secret;
}

static int
photo_host_set_secret (Cli *cli)
{
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;
  gboolean stored;

  cli_build_config (cli);
  key = ttd_config_s3_secret_key (cli->config);
  if (key == NULL)
    return cli_fail_usage (cli, _("Set the S3 endpoint and access key ID first (TIKTOK_DRAFTS_S3_ENDPOINT and TIKTOK_DRAFTS_S3_ACCESS_KEY_ID): the secret is kept for that pair."));

  secret = read_secret_from_stdin ();
  if (secret == NULL || *secret == '\0')
    {
      ttd_secure_free (secret);
      return cli_fail_usage (cli, _("No secret access key was given on standard input."));
    }

  stored = ttd_secret_store_password ("s3-secret", key, _("TikTok Drafts – S3 secret access key"),
                                      secret, cli->cancellable, &error);
  ttd_secure_free (secret);
  if (!stored)
    return cli_fail (cli, error);

  g_print (_("The secret access key of “%s” is saved in the keyring.\n"), cli->config->s3_access_key_id);
  return EXIT_OK;
}

int
cli_cmd_photo_host (Cli    *cli,
                    int     argc,
                    char  **argv)
{
  if (!cli_parse_options (cli, "photo-host", "check|set-secret",
                          _("“check” stores a small test photo on the photo host, fetches it from its public address as TikTok would, and deletes it; it says in one sentence what is wrong. "
                            "“set-secret” reads an S3 secret access key from standard input and keeps it in the keyring for the configured endpoint and access key ID."),
                          NULL, &argc, &argv))
    return cli->exit_code;

  if (argc == 2 && g_str_equal (argv[1], "check"))
    return photo_host_check (cli);
  if (argc == 2 && g_str_equal (argv[1], "set-secret"))
    return photo_host_set_secret (cli);

  return cli_fail_usage (cli, _("Say what to do: “photo-host check” or “photo-host set-secret”."));
}
