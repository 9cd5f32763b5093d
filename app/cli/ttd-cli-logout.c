/* ttd-cli-logout.c — the “logout” command
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ttd-cli.h"

int
cli_cmd_logout (Cli    *cli,
                int     argc,
                char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *revoke_problem = NULL;
  gboolean was_signed_in;

  if (!cli_parse_options (cli, "logout", NULL,
                          _("Revokes TikTok Drafts' access at TikTok, then deletes the tokens from the keyring."),
                          NULL, &argc, &argv))
    return cli->exit_code;

  if (!cli_prepare_account (cli, TRUE, &error))
    return cli_fail (cli, error);

  was_signed_in = ttd_account_is_signed_in (cli->account);

  if (!ttd_account_sign_out (cli->account, &revoke_problem, cli->cancellable, &error))
    return cli_fail (cli, error);

  ttd_token_store_save_pending (ttd_account_get_store (cli->account), NULL, NULL, NULL);

  if (revoke_problem != NULL)
    g_printerr (_("TikTok could not be told to revoke access (%s); the tokens were deleted here anyway. "
                  "You can remove the app under Settings › Security › Manage app permissions in TikTok.\n"),
                revoke_problem);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_add_bool (builder, "ok", TRUE);
      cli_add_bool (builder, "signed_in", FALSE);
      cli_add_bool (builder, "was_signed_in", was_signed_in);
      cli_add_bool (builder, "revoked", was_signed_in && revoke_problem == NULL);
      json_builder_end_object (builder);
      cli_print_json_object (builder);
    }
  else if (was_signed_in)
    g_print (_("Signed out of TikTok.\n"));
  else
    g_print (_("You were not signed in.\n"));

  return EXIT_OK;
}

