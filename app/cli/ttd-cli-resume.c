/* ttd-cli-resume.c — the “resume” command
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sends what the queue has, once; what TikTok holds back (its pending-draft
 * cap, its rate limit) is left for its next try, which the queue records.
 * With --watch it keeps going: it sleeps until the earliest next try, sends
 * what is due, and says one line each time an item waits again, arrives or
 * fails, until nothing waits any more. Ctrl+C stops it between or during
 * sends; the queue keeps everything.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ttd-cli.h"

typedef struct
{
  Cli        *cli;
  TtdQueue   *queue;
  gboolean    no_wait;
  gboolean    now;
  int         code;
  GHashTable *seen;       /* id → the last line said about it */
  GHashTable *next_try;   /* id → gint64 *, from the sender's last answer */
  GPtrArray  *ids;        /* the ids reported, in order */
  GHashTable *reports;    /* id → JsonNode, the last outcome for --json */
} Resume;

static char *
item_name (const TtdQueueItem *item)
{
  return item->paths && item->paths[0] ? g_filename_display_basename (item->paths[0]) : g_strdup ("?");
}

/* Prints @line for @item unless it is what was said last about it. */
static void
say (Resume             *resume,
     const TtdQueueItem *item,
     gboolean            to_stderr,
     const char         *line)
{
  if (g_strcmp0 (g_hash_table_lookup (resume->seen, item->id), line) == 0)
    return;

  g_hash_table_insert (resume->seen, g_strdup (item->id), g_strdup (line));
  if (to_stderr)
    g_printerr ("%s\n", line);
  else if (!resume->cli->json)
    g_print ("%s\n", line);
}

static void
keep_report (Resume      *resume,
             const char  *id,
             JsonBuilder *builder)
{
  if (!g_hash_table_contains (resume->reports, id))
    g_ptr_array_add (resume->ids, g_strdup (id));
  g_hash_table_insert (resume->reports, g_strdup (id), json_builder_get_root (builder));
}

static void
report_waiting (Resume             *resume,
                const TtdQueueItem *item,
                TtdWaitReason       reason,
                gint64              next_try_at,
                const char         *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *name = item_name (item);
  g_autofree char *line = NULL;
  gint64 *when = g_new (gint64, 1);

  *when = next_try_at;
  g_hash_table_insert (resume->next_try, g_strdup (item->id), when);

  /* Translators: a line of “resume”: the file name, then a sentence saying
     why TikTok holds it back and when it is tried again */
  line = g_strdup_printf (_("%s: waiting. %s"), name, message);
  say (resume, item, FALSE, line);

  json_builder_begin_object (builder);
  cli_add_string (builder, "id", item->id);
  cli_add_path (builder, "file", item->paths ? item->paths[0] : NULL);
  cli_add_bool (builder, "ok", FALSE);
  cli_add_wait (builder, reason, next_try_at);
  cli_add_string (builder, "error", message);
  json_builder_end_object (builder);
  keep_report (resume, item->id, builder);
}

/* Sends @item once and reports how that went. Returns FALSE on Ctrl+C. */
static gboolean
send_one (Resume             *resume,
          const TtdQueueItem *item)
{
  Cli *cli = resume->cli;
  g_autoptr(TtdUploadResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *name = item_name (item);
  g_autofree char *line = NULL;

  g_printerr (_("Resuming %s…\n"), name);
  result = cli_send_item_with_flags (cli, resume->queue, item->id,
                                     (resume->no_wait ? TTD_UPLOAD_FLAGS_NONE : TTD_UPLOAD_FLAGS_WAIT) |
                                     (resume->now ? TTD_UPLOAD_FLAGS_NONE : TTD_UPLOAD_FLAGS_DUE_ONLY),
                                     cli_print_progress, cli, &error);
  g_hash_table_remove (resume->next_try, item->id);

  /* Another process is sending it: theirs, not waiting for TikTok. */
  if (g_error_matches (error, TTD_WAIT_ERROR, TTD_WAIT_ELSEWHERE))
    {
      line = g_strdup_printf ("%s: %s", name, error->message);
      say (resume, item, TRUE, line);
      json_builder_begin_object (builder);
      cli_add_string (builder, "id", item->id);
      cli_add_path (builder, "file", item->paths ? item->paths[0] : NULL);
      cli_add_bool (builder, "ok", FALSE);
      cli_add_bool (builder, "being_sent", TRUE);
      cli_add_string (builder, "error", error->message);
      json_builder_end_object (builder);
      keep_report (resume, item->id, builder);
      return TRUE;
    }

  if (error != NULL && error->domain == TTD_WAIT_ERROR)
    {
      report_waiting (resume, item, error->code, ttd_wait_error_get_next_try (error), error->message);
      return TRUE;
    }

  json_builder_begin_object (builder);
  cli_add_string (builder, "id", item->id);
  cli_add_path (builder, "file", item->paths ? item->paths[0] : NULL);
  if (result != NULL)
    {
      gboolean ok = ttd_upload_result_succeeded (result) ||
                    (resume->no_wait && g_strcmp0 (result->status, TTD_STATUS_FAILED) != 0);

      cli_add_bool (builder, "ok", ok);
      cli_add_string (builder, "publish_id", result->publish_id);
      cli_add_string (builder, "status", result->status);
      if (!ok)
        {
          g_autofree char *reason = ttd_error_describe_fail_reason (result->fail_reason);

          line = g_strdup_printf ("%s: %s", name, g_strcmp0 (result->status, TTD_STATUS_FAILED) == 0
                                                  ? reason : _("TikTok is still processing it."));
          say (resume, item, TRUE, line);
          resume->code = EXIT_FAILED;
        }
      else
        {
          line = g_strdup_printf ("%s: %s (%s)", name, result->status ? result->status : _("sent"),
                                  result->publish_id);
          say (resume, item, FALSE, line);
        }
    }
  else
    {
      cli_add_bool (builder, "ok", FALSE);
      cli_add_string (builder, "error", error->message);
      line = g_strdup_printf ("%s: %s", name, error->message);
      say (resume, item, TRUE, line);
      if (!g_error_matches (error, TTD_ERROR, TTD_ERROR_DELIVERED))
        resume->code = cli_exit_code_for (error);
    }
  json_builder_end_object (builder);
  keep_report (resume, item->id, builder);

  /* Ctrl+C stops the whole command, not just this item. */
  return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* When @item is tried next: the queue's time, or later if the sender said
 * so (another process was sending it). */
static gint64
next_try_of (Resume             *resume,
             const TtdQueueItem *item)
{
  gint64 *said = g_hash_table_lookup (resume->next_try, item->id);

  return MAX (item->next_try_at, said ? *said : 0);
}

/* One pass over the queue. The first tries everything not delivered; a
 * later one only what waits for TikTok. Sets *earliest to the next try of
 * what still waits (0: nothing does). Returns FALSE on Ctrl+C. */
static gboolean
run_pass (Resume   *resume,
          gboolean  first,
          gint64   *earliest,
          GError  **error)
{
  g_autoptr(GPtrArray) items = ttd_queue_list (resume->queue, error);

  *earliest = 0;
  if (items == NULL)
    return FALSE;

  for (guint i = 0; i < items->len; i++)
    {
      TtdQueueItem *item = g_ptr_array_index (items, i);
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;

      if (item->state == TTD_QUEUE_STATE_DONE || (!first && !ttd_queue_item_is_waiting (item)))
        continue;

      /* Not due: said when it became so; nothing new to say. */
      if (!resume->now && next_try_of (resume, item) > now)
        {
          if (first)
            {
              g_autofree char *message = ttd_wait_describe (item->wait_reason, item->next_try_at);

              report_waiting (resume, item, item->wait_reason, item->next_try_at, message);
            }
        }
      else if (!send_one (resume, item))
        return FALSE;
    }

  /* What waits now, from the file: another process may have queued or
   * tried something meanwhile. */
  g_clear_pointer (&items, g_ptr_array_unref);
  items = ttd_queue_list (resume->queue, error);
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      TtdQueueItem *item = g_ptr_array_index (items, i);
      gint64 when = next_try_of (resume, item);

      if (ttd_queue_item_is_waiting (item) && (*earliest == 0 || when < *earliest))
        *earliest = when;
    }

  return items != NULL;
}

static gboolean
timeout_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* Sleeps until @unix_time (at least a second), or until Ctrl+C. */
static gboolean
sleep_until (Cli    *cli,
             gint64  unix_time)
{
  while (!g_cancellable_is_cancelled (cli->cancellable))
    {
      g_autoptr(GSource) timeout = NULL;
      g_autoptr(GSource) cancelled = NULL;
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;

      if (now >= unix_time)
        return TRUE;

      /* In steps of at most a minute: the clock may jump (suspend). */
      timeout = g_timeout_source_new_seconds ((guint) CLAMP (unix_time - now, 1, 60));
      g_source_set_callback (timeout, timeout_cb, cli->loop, NULL);
      g_source_attach (timeout, NULL);
      cancelled = g_cancellable_source_new (cli->cancellable);
      g_source_set_callback (cancelled, G_SOURCE_FUNC (cancelled_cb), cli->loop, NULL);
      g_source_attach (cancelled, NULL);

      g_main_loop_run (cli->loop);
      g_source_destroy (timeout);
      g_source_destroy (cancelled);
    }

  return FALSE;
}

int
cli_cmd_resume (Cli    *cli,
                int     argc,
                char  **argv)
{
  gboolean no_wait = FALSE;
  gboolean watch = FALSE;
  gboolean now = FALSE;
  GOptionEntry entries[] = {
    { "no-wait", 0, 0, G_OPTION_ARG_NONE, &no_wait, N_("Do not wait for TikTok to process what was sent"), NULL },
    { "watch", 0, 0, G_OPTION_ARG_NONE, &watch,
      N_("Keep running while TikTok holds items back, and send each at its next try"), NULL },
    { "now", 0, 0, G_OPTION_ARG_NONE, &now,
      N_("Try the items TikTok held back at once instead of at their next try"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdQueue) queue = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Resume resume = { cli, NULL, FALSE, FALSE, EXIT_OK, };
  gboolean first = TRUE;
  gboolean stopped = FALSE;
  gint64 earliest = 0;

  if (!cli_parse_options (cli, "resume", NULL,
                          _("Continues everything that was interrupted: unfinished uploads go on from the last "
                            "chunk TikTok confirmed, and sent drafts are checked until they reach your inbox. "
                            "What TikTok holds back (too many drafts waiting in the TikTok app, or its rate "
                            "limit) is sent at its next try: with --watch, this command keeps running until then."),
                          entries, &argc, &argv))
    return cli->exit_code;

  if (!cli_prepare_account (cli, TRUE, &error) || !cli_require_sign_in (cli, &error))
    return cli_fail (cli, error);

  queue = ttd_queue_new (NULL);
  resume.queue = queue;
  resume.no_wait = no_wait;
  resume.now = now;
  resume.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  resume.next_try = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  resume.ids = g_ptr_array_new_with_free_func (g_free);
  resume.reports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_node_unref);

  for (;;)
    {
      if (!run_pass (&resume, first, &earliest, &error))
        {
          stopped = error == NULL;
          break;
        }
      first = FALSE;
      resume.now = FALSE;   /* --now is for the first pass */
      if (!watch || earliest == 0)
        break;
      if (!sleep_until (cli, MAX (earliest, g_get_real_time () / G_USEC_PER_SEC + 1)))
        {
          stopped = TRUE;
          break;
        }
    }

  if (error != NULL)
    resume.code = cli_fail (cli, error);
  else if (stopped)
    {
      g_printerr ("%s\n", _("Stopped; everything not sent is still queued."));
      resume.code = EXIT_CANCELLED;
    }
  else if (earliest > 0)
    {
      g_autofree char *when = ttd_wait_format_time (earliest);

      g_printerr (_("TikTok holds some items back; the next try is at %s. "
                    "Run “tiktok-drafts-cli resume --watch” to keep trying, or “resume --now” to try at once.\n"),
                  when);
      if (resume.code == EXIT_OK)
        resume.code = EXIT_WAITING;
    }

  if (cli->json && error == NULL)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "items");
      json_builder_begin_array (builder);
      for (guint i = 0; i < resume.ids->len; i++)
        json_builder_add_value (builder, json_node_ref (g_hash_table_lookup (resume.reports,
                                                                             g_ptr_array_index (resume.ids, i))));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, resume.code == EXIT_OK);
      if (earliest > 0)
        {
          json_builder_set_member_name (builder, "next_try_at");
          json_builder_add_int_value (builder, earliest);
        }
      json_builder_end_object (builder);
      cli_print_json_object (builder);
    }
  else if (!cli->json && resume.ids->len == 0 && error == NULL && !stopped)
    g_print (_("Nothing was interrupted.\n"));

  g_hash_table_unref (resume.seen);
  g_hash_table_unref (resume.next_try);
  g_ptr_array_unref (resume.ids);
  g_hash_table_unref (resume.reports);

  return resume.code;
}
