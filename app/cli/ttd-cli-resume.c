/* ttd-cli-resume.c — the “resume” command
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ttd-cli.h"

int
cli_cmd_resume (Cli    *cli,
                int     argc,
                char  **argv)
{
  gboolean no_wait = FALSE;
  GOptionEntry entries[] = {
    { "no-wait", 0, 0, G_OPTION_ARG_NONE, &no_wait, N_("Do not wait for TikTok to process what was sent"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdQueue) queue = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  int code = EXIT_OK;
  guint sent = 0;

  if (!cli_parse_options (cli, "resume", NULL,
                          _("Continues everything that was interrupted: unfinished uploads go on from the last "
                            "chunk TikTok confirmed, and sent drafts are checked until they reach your inbox."),
                          entries, &argc, &argv))
    return cli->exit_code;

  if (!cli_prepare_account (cli, TRUE, &error) || !cli_require_sign_in (cli, &error))
    return cli_fail (cli, error);

  queue = ttd_queue_new (NULL);
  items = ttd_queue_list (queue, &error);
  if (items == NULL)
    return cli_fail (cli, error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);

  for (guint i = 0; i < items->len; i++)
    {
      TtdQueueItem *item = g_ptr_array_index (items, i);
      g_autoptr(TtdUploadResult) result = NULL;
      g_autoptr(GError) send_error = NULL;
      g_autofree char *name = item->paths && item->paths[0] ? g_filename_display_basename (item->paths[0])
                                                            : g_strdup ("?");

      if (item->state == TTD_QUEUE_STATE_DONE)
        continue;

      g_printerr (_("Resuming %s…\n"), name);
      result = cli_send_item (cli, queue, item->id, !no_wait, cli_print_progress, cli, &send_error);
      sent++;

      json_builder_begin_object (builder);
      cli_add_string (builder, "id", item->id);
      cli_add_path (builder, "file", item->paths ? item->paths[0] : NULL);
      if (result != NULL)
        {
          gboolean ok = ttd_upload_result_succeeded (result) ||
                        (no_wait && g_strcmp0 (result->status, TTD_STATUS_FAILED) != 0);

          cli_add_bool (builder, "ok", ok);
          cli_add_string (builder, "publish_id", result->publish_id);
          cli_add_string (builder, "status", result->status);
          if (!ok)
            {
              g_autofree char *reason = ttd_error_describe_fail_reason (result->fail_reason);

              g_printerr ("%s: %s\n", name, result->status && g_str_equal (result->status, TTD_STATUS_FAILED)
                                            ? reason : _("TikTok is still processing it."));
              code = EXIT_FAILED;
            }
          else if (!cli->json)
            g_print ("%s: %s (%s)\n", name, result->status ? result->status : _("sent"),
                     result->publish_id);
        }
      else
        {
          cli_add_bool (builder, "ok", FALSE);
          cli_add_string (builder, "error", send_error->message);
          g_printerr ("%s: %s\n", name, send_error->message);
          code = cli_exit_code_for (send_error);
        }
      json_builder_end_object (builder);

      /* Ctrl+C stops the whole command, not just this item. */
      if (g_error_matches (send_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        break;
    }

  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, code == EXIT_OK);
  json_builder_end_object (builder);

  if (cli->json)
    cli_print_json_object (builder);
  else if (sent == 0)
    g_print (_("Nothing was interrupted.\n"));

  return code;
}

