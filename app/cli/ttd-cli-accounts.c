/* ttd-cli-accounts.c — the “accounts” command
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ttd-cli.h"

int
cli_cmd_accounts (Cli    *cli,
                  int     argc,
                  char  **argv)
{
  g_autofree char *make_default = NULL;
  GOptionEntry entries[] = {
    { "default", 0, 0, G_OPTION_ARG_STRING, &make_default,
      N_("Make this account (open_id or display name) the one used when none is named"), N_("ACCOUNT") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  TtdAccounts *accounts;

  if (!cli_parse_options (cli, "accounts", NULL,
                          _("Lists the TikTok accounts signed in on this computer and which one is the default. "
                            "“auth” adds an account; “logout --account” signs one out."),
                          entries, &argc, &argv))
    return cli->exit_code;

  if (argc > 1)
    return cli_fail_usage (cli, _("“accounts” takes no file or name; use --default ACCOUNT to choose the default."));

  cli_build_config (cli);
  accounts = cli_get_accounts (cli);

  if (make_default != NULL &&
      !ttd_accounts_set_default (accounts, make_default, cli->cancellable, &error))
    return cli_fail (cli, error);

  infos = ttd_accounts_list (accounts, cli->cancellable, &error);
  if (infos == NULL)
    return cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_add_bool (builder, "ok", TRUE);
      json_builder_set_member_name (builder, "accounts");
      json_builder_begin_array (builder);
      for (guint i = 0; i < infos->len; i++)
        {
          TtdAccountInfo *info = g_ptr_array_index (infos, i);

          json_builder_begin_object (builder);
          cli_add_string (builder, "open_id", info->open_id);
          cli_add_string (builder, "display_name", info->display_name);
          cli_add_bool (builder, "default", info->is_default);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      cli_print_json_object (builder);
    }
  else if (infos->len == 0)
    g_print (_("No TikTok account is signed in. Run “tiktok-drafts-cli auth” to add one.\n"));
  else
    {
      for (guint i = 0; i < infos->len; i++)
        {
          TtdAccountInfo *info = g_ptr_array_index (infos, i);
          g_autofree char *name = ttd_text_clean (info->display_name ? info->display_name : "", -1, FALSE);

          /* “*” marks the default, as git branch does. */
          g_print ("%s %-24s %s\n", info->is_default ? "*" : " ",
                   *name != '\0' ? name : _("(no name yet)"), info->open_id);
        }
      if (make_default != NULL)
        g_printerr (_("Default account changed.\n"));
    }

  return EXIT_OK;
}
