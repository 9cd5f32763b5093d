/* ttd-cli-refresh.c — the “refresh” command
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ttd-cli.h"

int
cli_cmd_refresh (Cli    *cli,
                 int     argc,
                 char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdTokens) tokens = NULL;

  if (!cli_parse_options (cli, "refresh", NULL,
                          _("Exchanges the refresh token for a new token pair now and keeps it in the keyring."),
                          NULL, &argc, &argv))
    return cli->exit_code;

  if (!cli_prepare_account (cli, TRUE, &error) ||
      !cli_require_sign_in (cli, &error) ||
      !ttd_account_refresh (cli->account, cli->cancellable, &error))
    return cli_fail (cli, error);

  tokens = ttd_account_dup_tokens (cli->account);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_add_bool (builder, "ok", TRUE);
      cli_add_bool (builder, "refreshed", TRUE);
      cli_add_string (builder, "open_id", tokens->open_id);
      cli_add_int (builder, "access_expires_at", tokens->access_expires_at);
      cli_add_int (builder, "refresh_expires_at", tokens->refresh_expires_at);
      json_builder_end_object (builder);
      cli_print_json_object (builder);
    }
  else
    {
      g_autoptr(GDateTime) expiry = g_date_time_new_from_unix_local (tokens->access_expires_at);
      g_autofree char *when = g_date_time_format (expiry, "%c");

      g_print (_("Sign-in refreshed; valid until %s.\n"), when);
    }

  return EXIT_OK;
}

