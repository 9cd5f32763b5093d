/* ttd-cli-upload.c — the “upload” command
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ttd-cli.h"

int
cli_cmd_upload (Cli    *cli,
                int     argc,
                char  **argv)
{
  g_autofree char *video = NULL;
  gboolean no_wait = FALSE;
  GOptionEntry entries[] = {
    { "video", 0, 0, G_OPTION_ARG_FILENAME, &video, N_("The video to send to your TikTok drafts (MP4, MOV or WebM)"), N_("PATH") },
    { "no-wait", 0, 0, G_OPTION_ARG_NONE, &no_wait, N_("Return once the video is sent, without waiting for TikTok to process it"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(TtdQueue) queue = NULL;
  g_autoptr(TtdQueueItem) item = NULL;
  g_autofree char *open_id = NULL;
  g_autoptr(TtdUploadResult) result = NULL;

  if (!cli_parse_options (cli, "upload", NULL,
                          _("Sends a video to your TikTok inbox as a draft. Open TikTok to finish and post it."),
                          entries, &argc, &argv))
    return cli->exit_code;

  if (video == NULL)
    return cli_fail_usage (cli, _("Give the video with --video PATH."));

  if (!cli_prepare_account (cli, TRUE, &error) || !cli_require_sign_in (cli, &error))
    return cli_fail (cli, error);

  file = g_file_new_for_commandline_arg (video);

  /* Queued first, so an interruption loses nothing: the same unchanged
   * file sent again continues its upload instead of making a new draft. */
  queue = ttd_queue_new (NULL);
  open_id = ttd_account_dup_open_id (cli->account);
  item = ttd_queue_add_video (queue, file, open_id, &error);
  if (item == NULL)
    return cli_fail (cli, error);
  if (item->publish_id != NULL)
    g_printerr (_("Continuing the interrupted upload of this file.\n"));

  result = cli_send_item (cli, queue, item->id, !no_wait, cli_print_progress, cli, &error);
  if (result == NULL)
    return cli_fail_send (cli, video, error);

  return cli_report_sent (cli, video, result, !no_wait);
}
