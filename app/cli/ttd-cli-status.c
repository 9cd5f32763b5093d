/* ttd-cli-status.c — the “status” command
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <unistd.h>
#include <glib/gi18n-lib.h>

#include "ttd-cli.h"

int
cli_cmd_status (Cli    *cli,
                int     argc,
                char  **argv)
{
  g_autofree char *publish_id = NULL;
  gboolean wait = FALSE;
  GOptionEntry entries[] = {
    { "publish-id", 0, 0, G_OPTION_ARG_STRING, &publish_id, N_("The publish ID that “upload” printed"), N_("ID") },
    { "wait", 0, 0, G_OPTION_ARG_NONE, &wait, N_("Keep checking until TikTok has delivered the draft or failed"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdPublishStatus) status = NULL;

  if (!cli_parse_options (cli, "status", NULL,
                          _("Shows TikTok's status for a draft. SEND_TO_USER_INBOX means it is waiting in your TikTok inbox."),
                          entries, &argc, &argv))
    return cli->exit_code;

  if (publish_id == NULL)
    return cli_fail_usage (cli, _("Give the publish ID with --publish-id ID."));

  if (!cli_prepare_account (cli, TRUE, &error) || !cli_require_sign_in (cli, &error))
    return cli_fail (cli, error);

  cli->progress_is_tty = isatty (STDERR_FILENO);
  if (wait)
    status = ttd_account_wait_for_publish (cli->account, publish_id, cli_print_progress, cli,
                                           cli->cancellable, &error);
  else
    status = ttd_account_fetch_status (cli->account, publish_id, cli->cancellable, &error);

  if (status == NULL)
    return cli_fail (cli, error);

  return cli_report_publish (cli, NULL, publish_id, status->status, status->fail_reason, FALSE);
}

