/* ttd-cli-queue.c — the “queue” command
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "ttd-cli.h"

static void
add_item_json (JsonBuilder        *builder,
               const TtdQueueItem *item)
{
  json_builder_begin_object (builder);
  cli_add_string (builder, "id", item->id);
  cli_add_string (builder, "kind", item->kind == TTD_QUEUE_KIND_VIDEO ? "video" : "slideshow");
  cli_add_string (builder, "open_id", item->open_id);
  cli_add_path (builder, "file", item->paths ? item->paths[0] : NULL);
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; item->paths != NULL && item->paths[i] != NULL; i++)
    {
      g_autofree char *text = ttd_queue_path_to_text (item->paths[i]);
      json_builder_add_string_value (builder, text);
    }
  json_builder_end_array (builder);
  cli_add_string (builder, "state", ttd_queue_state_to_string (item->state));
  cli_add_string (builder, "publish_id", item->publish_id);
  cli_add_string (builder, "status", item->status);
  if (item->kind == TTD_QUEUE_KIND_VIDEO)
    {
      cli_add_int (builder, "bytes_acknowledged", item->acknowledged);
      cli_add_int (builder, "size", item->file_size);
    }
  else
    {
      cli_add_string (builder, "title", item->title);
      cli_add_int (builder, "cover_index", item->cover_index);
    }
  cli_add_string (builder, "error", item->error);
  if (ttd_queue_item_is_waiting (item))
    cli_add_wait (builder, item->wait_reason, item->next_try_at);
  cli_add_bool (builder, "being_sent", ttd_queue_item_is_claimed_elsewhere (item));
  json_builder_end_object (builder);
}

/* The queue's items as “queue --json” and the MCP tool list_queue show
 * them: an “items” member in the object @builder is building. */
void
cli_add_queue_items (JsonBuilder *builder,
                     GPtrArray   *items)
{
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    add_item_json (builder, g_ptr_array_index (items, i));
  json_builder_end_array (builder);
}

int
cli_cmd_queue (Cli    *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdQueue) queue = NULL;
  g_autoptr(GPtrArray) items = NULL;

  if (!cli_parse_options (cli, "queue", NULL,
                          _("Lists what is queued and not yet in your TikTok inbox, with its state."),
                          NULL, &argc, &argv))
    return cli->exit_code;

  queue = ttd_queue_new (NULL);
  items = ttd_queue_list (queue, &error);
  if (items == NULL)
    return cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_add_bool (builder, "ok", TRUE);
      cli_add_queue_items (builder, items);
      json_builder_end_object (builder);
      cli_print_json_object (builder);
      return EXIT_OK;
    }

  if (items->len == 0)
    g_print (_("Nothing is queued.\n"));

  for (guint i = 0; i < items->len; i++)
    {
      TtdQueueItem *item = g_ptr_array_index (items, i);
      g_autofree char *name = item->paths && item->paths[0] ? g_filename_display_basename (item->paths[0])
                                                            : g_strdup ("?");

      if (item->kind == TTD_QUEUE_KIND_SLIDESHOW)
        /* Translators: a line of “queue”: id, photo count, first file name, state */
        g_print (ngettext ("%s  slideshow of %u photo (%s…)  %s", "%s  slideshow of %u photos (%s…)  %s",
                           g_strv_length (item->paths)),
                 item->id, g_strv_length (item->paths), name,
                 ttd_queue_state_to_string (item->state));
      else if (item->file_size > 0)
        /* Translators: a line of “queue”: id, file name, state, percentage sent.
           PRId64 is a 64-bit integer: keep it as %<PRId64> in the translation. */
        g_print (_("%s  %s  %s, %" PRId64 "%% sent"), item->id, name,
                 ttd_queue_state_to_string (item->state),
                 (gint64) cli_percent (item->acknowledged, item->file_size));
      else
        g_print ("%s  %s  %s", item->id, name, ttd_queue_state_to_string (item->state));
      if (item->publish_id != NULL)
        g_print ("  %s", item->publish_id);
      g_print ("\n");
      if (ttd_queue_item_is_waiting (item))
        {
          g_autofree char *waiting = ttd_wait_describe (item->wait_reason, item->next_try_at);

          g_print ("    %s\n", waiting);
        }
      else if (item->error != NULL)
        g_print ("    %s\n", item->error);
    }

  return EXIT_OK;
}

