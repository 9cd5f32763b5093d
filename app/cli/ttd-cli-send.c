/* ttd-cli-send.c — sending a queue item and reporting on a draft, for
 * “upload”, “slideshow”, “resume” and “status”
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <unistd.h>
#include <glib/gi18n-lib.h>

#include "ttd-cli.h"

/**
 * cli_describe_progress:
 *
 * Returns: (transfer full) (nullable): what @progress says, in one line
 *   without a newline, or %NULL when it says nothing worth a line. (The
 *   messages keep the newline their translations have; it is cut here.)
 */
char *
cli_describe_progress (const TtdUploadProgress *progress)
{
  char *text = NULL;

  switch (progress->phase)
    {
    case TTD_UPLOAD_PHASE_SENDING:
      if (progress->bytes_total > 0)
        text = g_strdup_printf (_("Sending: %d%%\n"), cli_percent (progress->bytes_sent, progress->bytes_total));
      break;

    case TTD_UPLOAD_PHASE_PROCESSING:
      if (progress->status != NULL)
        text = g_strdup_printf (_("TikTok status: %s\n"), progress->status);
      else
        text = g_strdup (_("Sent. Waiting for TikTok to process the draft…\n"));
      break;

    case TTD_UPLOAD_PHASE_STARTING:
      text = g_strdup (_("Asking TikTok for an upload…\n"));
      break;

    case TTD_UPLOAD_PHASE_CONVERTING:
      if (progress->bytes_total > 0)
        text = g_strdup_printf (_("Converting photos: %d of %d\n"), (int) progress->bytes_sent, (int) progress->bytes_total);
      break;

    case TTD_UPLOAD_PHASE_HOSTING:
      if (progress->bytes_total > 0 && progress->bytes_sent == progress->bytes_total)
        text = g_strdup (_("Photos are on the photo host.\n"));
      break;

    case TTD_UPLOAD_PHASE_CHECKING:
    case TTD_UPLOAD_PHASE_DONE:
    default:
      break;
    }

  return text != NULL ? g_strchomp (text) : NULL;
}

/* Progress goes to stderr: one line that updates itself on a terminal,
 * a line every 10 % otherwise. */
void
cli_print_progress (const TtdUploadProgress *progress,
                    gpointer                 user_data)
{
  Cli *cli = user_data;
  g_autofree char *text = NULL;

  if (progress->phase == TTD_UPLOAD_PHASE_SENDING)
    {
      int percent;

      if (progress->bytes_total <= 0)
        return;
      percent = cli_percent (progress->bytes_sent, progress->bytes_total);
      if (cli->progress_is_tty)
        {
          g_autofree char *sent = g_format_size (progress->bytes_sent);
          g_autofree char *total = g_format_size (progress->bytes_total);

          g_printerr ("\r\033[K");
          g_printerr (_("Sending: %d%% (%s of %s)"), percent, sent, total);
          cli->last_percent = percent;
          return;
        }
      if (percent / 10 == cli->last_percent / 10 && cli->last_percent >= 0)
        return;
      cli->last_percent = percent;
    }
  else if (progress->phase == TTD_UPLOAD_PHASE_PROCESSING && cli->progress_is_tty)
    g_printerr ("\r\033[K");

  text = cli_describe_progress (progress);
  if (text != NULL)
    g_printerr ("%s\n", text);
}

/**
 * cli_describe_publish:
 * @waited: whether the sender waited for TikTok to process the draft
 * @code: (out): %EXIT_OK when the draft is in the inbox (or, not waited
 *   for, on its way), %EXIT_FAILED when it failed, %EXIT_PENDING when
 *   TikTok was still processing it after the wait
 *
 * Returns: (transfer full): the sentence saying what became of a draft
 */
char *
cli_describe_publish (const char *publish_id,
                      const char *status,
                      const char *fail_reason,
                      gboolean    waited,
                      int        *code)
{
  if (g_strcmp0 (status, TTD_STATUS_FAILED) == 0)
    {
      *code = EXIT_FAILED;
      return ttd_error_describe_fail_reason (fail_reason);
    }

  if (g_strcmp0 (status, TTD_STATUS_SEND_TO_USER_INBOX) == 0 ||
      g_strcmp0 (status, TTD_STATUS_PUBLISH_COMPLETE) == 0)
    {
      *code = EXIT_OK;
      return g_strdup (_("The draft is in your TikTok inbox. Open TikTok to finish the post."));
    }

  if (waited)
    {
      *code = EXIT_PENDING;
      return g_strdup_printf (_("TikTok is still processing the draft. Check later with “tiktok-drafts-cli status --publish-id %s”."),
                              publish_id);
    }

  *code = EXIT_OK;
  return g_strdup_printf (_("Sent. TikTok is processing it; check with “tiktok-drafts-cli status --publish-id %s”."),
                          publish_id);
}

/* What became of a draft, on stdout (or as JSON); the exit code says
 * whether it is in the inbox (0), failed (1) or is still processing (4). */
int
cli_report_publish (Cli        *cli,
                    const char *file,
                    const char *publish_id,
                    const char *status,
                    const char *fail_reason,
                    gboolean    waited)
{
  int code;
  g_autofree char *message = cli_describe_publish (publish_id, status, fail_reason, waited, &code);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_add_bool (builder, "ok", code == EXIT_OK);
      if (file != NULL)
        cli_add_path (builder, "file", file);
      cli_add_string (builder, "publish_id", publish_id);
      cli_add_string (builder, "status", status);
      if (fail_reason != NULL)
        cli_add_string (builder, "fail_reason", fail_reason);
      cli_add_string (builder, "message", message);
      json_builder_end_object (builder);
      cli_print_json_object (builder);
      if (code != EXIT_OK)
        g_printerr ("%s\n", message);
    }
  else if (code == EXIT_OK)
    g_print ("%s\n%s: %s\n%s: %s\n", message, _("Publish ID"), publish_id, _("Status"), status ? status : "-");
  else
    {
      g_print ("%s: %s\n%s: %s\n", _("Publish ID"), publish_id, _("Status"), status ? status : "-");
      g_printerr ("%s\n", message);
    }

  return code;
}

typedef struct
{
  Cli             *cli;
  TtdUploadResult *result;
  GError          *error;
} UploadWait;

static void
upload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  UploadWait *wait = user_data;

  wait->result = ttd_account_send_queue_item_finish (TTD_ACCOUNT (object), result, &wait->error);
  g_main_loop_quit (wait->cli->loop);
}

/**
 * cli_send_item_with_flags:
 * @id: the queue item to send
 * @flags: %TTD_UPLOAD_FLAGS_WAIT to wait until TikTok has processed the
 *   draft; %TTD_UPLOAD_FLAGS_DUE_ONLY to leave what TikTok held back until
 *   its next try
 * @progress: called in the main thread, cli_print_progress() for stderr
 *
 * Sends (or continues, or checks on) one queue item for the account it
 * was queued for (cli->account becomes that account), reporting progress,
 * and runs the main loop until it is done: Ctrl+C cancels it through
 * cli->cancellable and leaves the item queued.
 *
 * Returns: (transfer full) (nullable): what TikTok said, or %NULL with
 *   @error set (a %TTD_WAIT_ERROR when TikTok holds the item back)
 */
TtdUploadResult *
cli_send_item_with_flags (Cli                   *cli,
                          TtdQueue              *queue,
                          const char            *id,
                          TtdUploadFlags         flags,
                          TtdUploadProgressFunc  progress,
                          gpointer               progress_data,
                          GError               **error)
{
  UploadWait upload = { cli, NULL, NULL };
  g_autoptr(TtdQueueItem) item = ttd_queue_lookup (queue, id, error);

  if (item == NULL || !cli_use_item_account (cli, item, error))
    return NULL;

  cli->progress_is_tty = isatty (STDERR_FILENO);
  cli->last_percent = -1;

  ttd_account_send_queue_item_async (cli->account, queue, id, flags,
                                     progress, progress_data, NULL, cli->cancellable,
                                     upload_cb, &upload);
  g_main_loop_run (cli->loop);

  if (upload.result == NULL)
    g_propagate_error (error, upload.error);

  return upload.result;
}

/**
 * cli_send_item:
 * @wait: whether to wait until TikTok has processed the draft
 *
 * cli_send_item_with_flags() for what the user asked to send now.
 */
TtdUploadResult *
cli_send_item (Cli                   *cli,
               TtdQueue              *queue,
               const char            *id,
               gboolean               wait,
               TtdUploadProgressFunc  progress,
               gpointer               progress_data,
               GError               **error)
{
  return cli_send_item_with_flags (cli, queue, id, wait ? TTD_UPLOAD_FLAGS_WAIT : TTD_UPLOAD_FLAGS_NONE,
                                   progress, progress_data, error);
}

/**
 * cli_report_sent:
 * @file: (nullable): the file that was sent, for the JSON output
 * @result: what cli_send_item() returned
 * @waited: whether cli_send_item() waited for TikTok
 *
 * Reports the outcome of “upload” or “slideshow”. Without waiting, it still
 * asks TikTok once for the draft's status, so the report has TikTok's own
 * word on it.
 */
int
cli_report_sent (Cli             *cli,
                 const char      *file,
                 TtdUploadResult *result,
                 gboolean         waited)
{
  if (!waited)
    {
      g_autoptr(TtdPublishStatus) current = ttd_account_fetch_status (cli->account, result->publish_id,
                                                                      cli->cancellable, NULL);

      if (current != NULL)
        {
          g_free (result->status);
          result->status = g_strdup (current->status);
          g_free (result->fail_reason);
          result->fail_reason = g_strdup (current->fail_reason);
        }
    }

  return cli_report_publish (cli, file, result->publish_id, result->status, result->fail_reason, waited);
}

void
cli_add_wait (JsonBuilder   *builder,
              TtdWaitReason  reason,
              gint64         next_try_at)
{
  cli_add_bool (builder, "waiting", TRUE);
  cli_add_string (builder, "wait_reason", ttd_wait_reason_to_string (reason));
  cli_add_int (builder, "next_try_at", next_try_at);
}

/**
 * cli_fail_send:
 * @file: (nullable): the file that was sent, for the JSON output
 * @error: why cli_send_item() did not deliver it
 *
 * Reports a send of “upload” or “slideshow” that did not deliver: an item
 * TikTok holds back (%TTD_WAIT_ERROR) is still queued, and the report says
 * until when and what sends it then.
 */
int
cli_fail_send (Cli          *cli,
               const char   *file,
               const GError *error)
{
  g_autofree char *log_id = NULL;

  if (error->domain != TTD_WAIT_ERROR)
    return cli_fail (cli, error);

  g_printerr ("%s\n%s\n", error->message,
              _("It stays queued: “tiktok-drafts-cli resume --watch”, or the app while it runs, sends it then."));

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      log_id = ttd_error_dup_log_id (error);
      json_builder_begin_object (builder);
      cli_add_bool (builder, "ok", FALSE);
      if (file != NULL)
        cli_add_path (builder, "file", file);
      cli_add_wait (builder, error->code, ttd_wait_error_get_next_try (error));
      cli_add_string (builder, "error", error->message);
      if (log_id != NULL)
        cli_add_string (builder, "log_id", log_id);
      json_builder_end_object (builder);
      cli_print_json_object (builder);
    }

  return EXIT_WAITING;
}
