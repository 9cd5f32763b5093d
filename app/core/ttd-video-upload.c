/* ttd-video-upload.c — one video to the drafts inbox, streamed in chunks
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "ttd-bounded-input-stream.h"
#include "ttd-cancellable.h"
#include "ttd-error.h"
#include "ttd-http.h"
#include "ttd-media.h"
#include "ttd-queue.h"
#include "ttd-secure.h"
#include "ttd-upload-private.h"
#include "ttd-video-upload-private.h"
#include "ttd-wait.h"

/* The whole upload runs in one worker thread with libsoup's blocking API:
 * chunks must go strictly one after another anyway, the file is read
 * straight from disk into the socket (memory does not grow with the file),
 * and the main loop never waits on any of it. */

#define CHUNK_ATTEMPTS        6
#define REINIT_ATTEMPTS       2
#define RATE_LIMIT_ATTEMPTS   4
#define PROGRESS_INTERVAL_US  (100 * 1000)

typedef struct
{
  TtdAccount            *account;
  GFile                 *file;
  GFileInputStream      *stream;
  char                  *content_type;
  TtdChunkPlan           plan;
  TtdUploadProgressFunc  progress;
  gpointer               progress_data;
  GCancellable          *cancellable;

  char                  *publish_id;
  char                  *upload_url;
  gint64                 acknowledged;   /* bytes TikTok confirmed */
  gint64                 chunk_sent;     /* bytes of the current chunk on the wire */
  gint64                 last_checkpoint_us;
  gboolean               fresh_connection; /* send the next chunk on a new connection */
  gint64                 last_report_us;
  gint64                 file_mtime;     /* what was planned: seconds… */
  guint32                file_mtime_usec; /* …and microseconds */

  /* When sending a queue item: where to record every step. */
  TtdQueue              *queue;
  TtdQueueItem          *item;
} Upload;

/* Records the upload's progress in the queue file (publish_id, upload URL,
 * acknowledged bytes), so a later start can continue where this one was. */
static void
checkpoint (Upload        *upload,
            TtdQueueState  state)
{
  g_autoptr(GError) error = NULL;
  TtdQueueItem *item = upload->item;

  if (upload->queue == NULL || item == NULL)
    return;

  item->state = state;
  g_free (item->publish_id);
  item->publish_id = g_strdup (upload->publish_id);
  if (g_strcmp0 (item->upload_url, upload->upload_url) != 0)
    {
      ttd_secure_free (item->upload_url);
      item->upload_url = g_strdup (upload->upload_url);
      item->upload_url_issued_at = g_get_real_time () / G_USEC_PER_SEC;
    }
  item->acknowledged = upload->acknowledged;
  item->chunk_size = upload->plan.chunk_size;
  item->chunk_count = upload->plan.chunk_count;
  item->file_size = upload->plan.video_size;
  item->file_mtime = upload->file_mtime;

  if (!ttd_queue_put (upload->queue, item, &error))
    g_warning ("%s", error->message);
}

static void
report (Upload         *upload,
        TtdUploadPhase  phase,
        const char     *status,
        gboolean        force)
{
  TtdUploadProgress progress = { 0, };
  gint64 now = g_get_monotonic_time ();

  if (upload->progress == NULL)
    return;

  if (!force && now - upload->last_report_us < PROGRESS_INTERVAL_US)
    return;

  upload->last_report_us = now;
  progress.phase = phase;
  progress.bytes_sent = upload->acknowledged + upload->chunk_sent;
  progress.bytes_total = upload->plan.video_size;
  progress.publish_id = upload->publish_id;
  progress.status = status;
  upload->progress (&progress, upload->progress_data);
}

static void
wrote_body_data_cb (SoupMessage *message,
                    guint        chunk_size,
                    Upload      *upload)
{
  upload->chunk_sent += chunk_size;
  report (upload, TTD_UPLOAD_PHASE_SENDING, NULL, FALSE);
}

/* Calls init, refreshing the token once if TikTok refused it and waiting
 * out the per-minute limit a few times. */
static gboolean
init_upload (Upload  *upload,
             GError **error)
{
  g_autofree char *rejected = NULL;
  guint rate_limited = 0;

  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      char *token;

      token = ttd_account_dup_access_token (upload->account, rejected, upload->cancellable, error);
      if (token == NULL)
        return FALSE;

      g_clear_pointer (&upload->publish_id, g_free);
      ttd_secure_clear (&upload->upload_url);

      if (!ttd_account_pace_init (upload->account, upload->cancellable, error))
        {
          ttd_secure_free (token);
          return FALSE;
        }

      if (ttd_api_client_init_inbox_video (ttd_account_get_client (upload->account), token,
                                           upload->plan.video_size, upload->plan.chunk_size,
                                           upload->plan.chunk_count,
                                           &upload->publish_id, &upload->upload_url,
                                           upload->cancellable, &local_error))
        {
          ttd_secure_free (token);
          upload->acknowledged = 0;
          checkpoint (upload, TTD_QUEUE_STATE_SENDING);
          g_debug ("Started upload %s: %" G_GINT64_FORMAT " bytes in %" G_GINT64_FORMAT " chunks",
                   upload->publish_id, upload->plan.video_size, upload->plan.chunk_count);
          return TRUE;
        }

      /* Only a refused token forces a refresh; after other errors the
       * same token is still good. */
      if (g_error_matches (local_error, TTD_ERROR, TTD_ERROR_TOKEN_INVALID) && rejected == NULL)
        {
          rejected = token;
          continue;
        }
      ttd_secure_free (token);

      if (g_error_matches (local_error, TTD_ERROR, TTD_ERROR_RATE_LIMITED) &&
          rate_limited < RATE_LIMIT_ATTEMPTS)
        {
          if (!ttd_wait_rate_limited (rate_limited++, upload->cancellable, error))
            return FALSE;
          continue;
        }

      if ((g_error_matches (local_error, TTD_ERROR, TTD_ERROR_SERVER) ||
           g_error_matches (local_error, TTD_ERROR, TTD_ERROR_NETWORK)) && attempt < 5)
        {
          if (!ttd_wait_for_network (upload->cancellable, error) ||
              !ttd_sleep_cancellable (ttd_backoff_ms (attempt), upload->cancellable, error))
            return FALSE;
          continue;
        }

      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
}

/**
 * ttd_video_upload_parse_received:
 * @headers: TikTok's answer to a chunk
 * @video_size: the size announced at init
 * @received: (out): how many bytes TikTok has, from its `Content-Range:
 *   bytes 0-LAST/TOTAL`; -1 when the answer does not say
 *
 * The range is checked against the video before any arithmetic on it:
 * the numbers come from the network and may be anything.
 *
 * Returns: %FALSE with %TTD_ERROR_PROTOCOL when the range lies outside
 *   the video, which no honest answer does.
 */
gboolean
ttd_video_upload_parse_received (SoupMessageHeaders  *headers,
                                 gint64               video_size,
                                 gint64              *received,
                                 GError             **error)
{
  goffset first;
  goffset last;
  goffset total;

  *received = -1;

  /* libsoup's parser reads each number as unsigned, so a huge or
   * "negative" one arrives as any 64-bit value, negative included. */
  if (!soup_message_headers_get_content_range (headers, &first, &last, &total))
    return TRUE;

  if (first < 0 || last < first || last >= video_size ||
      (total != -1 && total != video_size))
    {
      g_debug ("TikTok's Content-Range is outside the %" G_GINT64_FORMAT "-byte video: %s",
               video_size, soup_message_headers_get_one (headers, "Content-Range"));
      g_set_error (error, TTD_ERROR, TTD_ERROR_PROTOCOL,
                   _("TikTok reported receiving a part of the video that does not exist. "
                     "Send the video again; if this keeps happening, try again later."));
      return FALSE;
    }

  *received = last + 1;
  return TRUE;
}

/* Whether the open file is no longer what was planned: it grew, shrank or
 * was written to. Asks the handle (fstat), not the path: a file renamed or
 * replaced meanwhile is still read as it was. */
static gboolean
file_changed (Upload *upload)
{
  g_autoptr(GFileInfo) info = NULL;

  info = g_file_input_stream_query_info (upload->stream,
                                         G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                         G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                                         G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                                         NULL, NULL);

  return info == NULL ||
         g_file_info_get_size (info) != upload->plan.video_size ||
         (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) != upload->file_mtime ||
         g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC) != upload->file_mtime_usec;
}

typedef enum
{
  CHUNK_ACCEPTED,
  CHUNK_COMPLETE,
  CHUNK_RESYNC,
  CHUNK_RESTART,
  CHUNK_RETRY,
  CHUNK_FATAL,
} ChunkOutcome;

/* Sends chunk @index. On CHUNK_RESYNC, @server_received is how much TikTok
 * says it has (-1: it did not say). */
static ChunkOutcome
put_chunk (Upload  *upload,
           gint64   index,
           gint64  *server_received,
           GError **error)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GCancellable) chunk_cancellable = NULL;
  gulong handler = 0;
  g_autofree char *range = NULL;
  gint64 first;
  gint64 length;
  guint status;

  ttd_chunk_plan_get_range (&upload->plan, index, &first, &length);

  message = ttd_http_message_new (_("TikTok upload address"), SOUP_METHOD_PUT, upload->upload_url, NULL);
  if (message == NULL)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_PROTOCOL,
                   _("TikTok gave an upload address that is not valid. Try again later."));
      return CHUNK_FATAL;
    }

  range = g_strdup_printf ("bytes %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                           first, first + length - 1, upload->plan.video_size);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Content-Range", range);

  /* Chunks share one keep-alive connection. libsoup 3.2 would silently
   * re-send a request that fails on a reused connection, and a streamed
   * body cannot be re-sent that way (GLib's splice has closed it, and it
   * would go out with the wrong length): "restarted" cancels the chunk
   * instead, and it is sent again here, from its first byte, on a new
   * connection. */
  if (upload->fresh_connection)
    soup_message_add_flags (message, SOUP_MESSAGE_NEW_CONNECTION);

  body = ttd_bounded_input_stream_new (G_INPUT_STREAM (upload->stream), first, length, upload->cancellable, error);
  if (body == NULL)
    return CHUNK_FATAL;
  soup_message_set_request_body (message, upload->content_type, body, length);
  g_signal_connect (message, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), upload);

  chunk_cancellable = g_cancellable_new ();
  handler = ttd_cancellable_forward (upload->cancellable, chunk_cancellable);
  /* libsoup is about to send the chunk again by itself: stop it. */
  g_signal_connect_swapped (message, "restarted", G_CALLBACK (g_cancellable_cancel), chunk_cancellable);

  upload->chunk_sent = 0;
  answer = soup_session_send_and_read (ttd_api_client_get_session (ttd_account_get_client (upload->account)),
                                       message, chunk_cancellable, &local_error);
  upload->chunk_sent = 0;
  g_cancellable_disconnect (upload->cancellable, handler);
  upload->fresh_connection = FALSE;

  if (answer == NULL)
    {
      if (g_cancellable_set_error_if_cancelled (upload->cancellable, error))
        return CHUNK_FATAL;

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Cancelled by chunk_restarted_cb: the reused connection failed. */
          g_debug ("Chunk %" G_GINT64_FORMAT " failed on a reused connection; sending it again", index);
          upload->fresh_connection = TRUE;
          ttd_api_set_network_error (error, g_steal_pointer (&local_error));
          return CHUNK_RETRY;
        }

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) &&
          file_changed (upload))
        {
          g_autofree char *name = ttd_media_dup_display_name (upload->file);

          g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                       _("“%s” changed while it was being sent. Send it again once it is complete."),
                       name);
          return CHUNK_FATAL;
        }

      g_debug ("Chunk %" G_GINT64_FORMAT " failed on the network: %s", index, local_error->message);
      ttd_api_set_network_error (error, g_steal_pointer (&local_error));
      return CHUNK_RETRY;
    }

  status = soup_message_get_status (message);
  g_debug ("Chunk %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT " → HTTP %u %.*s",
           index + 1, upload->plan.chunk_count, status,
           status >= 400 ? (int) MIN (g_bytes_get_size (answer), 300) : 0,
           (const char *) g_bytes_get_data (answer, NULL));

  switch (status)
    {
    case SOUP_STATUS_CREATED:
      return CHUNK_COMPLETE;

    case SOUP_STATUS_PARTIAL_CONTENT:
    case SOUP_STATUS_OK:
      return CHUNK_ACCEPTED;

    case SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE:
      /* Only here does TikTok's progress matter: where to continue. */
      if (!ttd_video_upload_parse_received (soup_message_get_response_headers (message),
                                            upload->plan.video_size, server_received, error))
        return CHUNK_FATAL;
      g_set_error (error, TTD_ERROR, TTD_ERROR_UPLOAD_RANGE,
                   _("TikTok and TikTok Drafts disagreed about how much was sent."));
      return CHUNK_RESYNC;

    case SOUP_STATUS_FORBIDDEN:
    case SOUP_STATUS_NOT_FOUND:
      g_set_error (error, TTD_ERROR, TTD_ERROR_UPLOAD_EXPIRED,
                   _("TikTok's upload address expired before the video was sent. Send it again."));
      return CHUNK_RESTART;

    case SOUP_STATUS_REQUEST_TIMEOUT:
    case 429:
      g_set_error (error, TTD_ERROR, TTD_ERROR_SERVER,
                   _("TikTok asked to slow down while the video was sent (HTTP %u)."), status);
      return CHUNK_RETRY;

    default:
      if (status >= 500)
        {
          g_set_error (error, TTD_ERROR, TTD_ERROR_SERVER,
                       _("TikTok had a temporary problem receiving the video (HTTP %u). Try again in a moment."),
                       status);
          return CHUNK_RETRY;
        }

      g_set_error (error, TTD_ERROR, TTD_ERROR_PROTOCOL,
                   _("TikTok refused part of the video (HTTP %u). Send it again; if this keeps happening, the file may be damaged."),
                   status);
      return CHUNK_FATAL;
    }
}

/* Sends every chunk from the first one TikTok has not acknowledged. */
static gboolean
send_chunks (Upload  *upload,
             gint64   index,
             GError **error)
{
  guint restarts = 0;
  guint failures = 0;

  report (upload, TTD_UPLOAD_PHASE_SENDING, NULL, TRUE);

  while (index < upload->plan.chunk_count)
    {
      g_autoptr(GError) local_error = NULL;
      gint64 received = -1;
      gint64 resync;
      gint64 now;

      switch (put_chunk (upload, index, &received, &local_error))
        {
        case CHUNK_COMPLETE:
          index = upload->plan.chunk_count;
          break;

        case CHUNK_ACCEPTED:
          ttd_chunk_plan_get_range (&upload->plan, index, &upload->acknowledged, &received);
          upload->acknowledged += received;
          failures = 0;
          index++;
          /* Progress goes to disk at most once a second: a resume from an
           * older chunk is put right by TikTok's 416 (resync below). */
          now = g_get_monotonic_time ();
          if (now - upload->last_checkpoint_us >= G_USEC_PER_SEC)
            {
              upload->last_checkpoint_us = now;
              checkpoint (upload, TTD_QUEUE_STATE_SENDING);
            }
          report (upload, TTD_UPLOAD_PHASE_SENDING, NULL, TRUE);
          break;

        case CHUNK_RESYNC:
          /* Continue from where TikTok says it is, if that is a chunk
           * boundary; otherwise start over. */
          resync = received >= 0 ? ttd_chunk_plan_index_at (&upload->plan, received) : -1;
          if (resync >= 0 && failures++ < CHUNK_ATTEMPTS)
            {
              g_debug ("Resynchronised at chunk %" G_GINT64_FORMAT, resync + 1);
              index = resync;
              upload->acknowledged = received;
              break;
            }
          G_GNUC_FALLTHROUGH;

        case CHUNK_RESTART:
          if (restarts++ >= REINIT_ATTEMPTS)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_debug ("Starting the upload again: %s", local_error->message);
          if (!init_upload (upload, error))
            return FALSE;
          index = 0;
          failures = 0;
          break;

        case CHUNK_RETRY:
          if (failures >= CHUNK_ATTEMPTS - 1)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          /* Without a network, wait for it without using up attempts. */
          if (!ttd_wait_for_network (upload->cancellable, error) ||
              !ttd_sleep_cancellable (ttd_backoff_ms (failures++), upload->cancellable, error))
            return FALSE;
          break;

        case CHUNK_FATAL:
        default:
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  /* Every chunk sent (TikTok answered 201, or 206 to each): what TikTok
   * has is the file only if the file did not change meanwhile. */
  if (file_changed (upload))
    {
      g_autofree char *name = ttd_media_dup_display_name (upload->file);

      /* This upload must never be continued or waited for. */
      g_clear_pointer (&upload->publish_id, g_free);
      ttd_secure_clear (&upload->upload_url);
      upload->acknowledged = 0;
      checkpoint (upload, TTD_QUEUE_STATE_FAILED);
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                   _("“%s” changed while it was being sent, so TikTok may have received a damaged copy. "
                     "Send it again once the file is complete."),
                   name);
      return FALSE;
    }

  upload->acknowledged = upload->plan.video_size;
  checkpoint (upload, TTD_QUEUE_STATE_PROCESSING);
  report (upload, TTD_UPLOAD_PHASE_SENDING, NULL, TRUE);
  return TRUE;
}

/* Whether the queue item's upload can be continued: same upload URL
 * still within TikTok's hour (with a margin), same unchanged file, same
 * plan, and a chunk boundary to start from. */
static gboolean
can_resume (Upload             *upload,
            const TtdQueueItem *item)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  return item != NULL && item->publish_id != NULL && item->upload_url != NULL &&
         now - item->upload_url_issued_at < TTD_UPLOAD_URL_LIFETIME - 5 * 60 &&
         item->file_size == upload->plan.video_size &&
         item->file_mtime == upload->file_mtime &&
         item->chunk_size == upload->plan.chunk_size &&
         item->chunk_count == upload->plan.chunk_count &&
         (item->acknowledged == upload->plan.video_size ||
          ttd_chunk_plan_index_at (&upload->plan, item->acknowledged) >= 0);
}

/**
 * _ttd_upload_video_item:
 * @queue: (nullable): where @item lives
 * @item: (nullable): the queue item being sent; updated as it goes
 *
 * The upload itself. With a queue item that was interrupted, continues
 * with the next chunk while TikTok's upload URL is valid and the file is
 * unchanged; goes straight to status polling when everything was sent;
 * otherwise starts a new upload.
 */
TtdUploadResult *
_ttd_upload_video_item (TtdAccount            *account,
                        GFile                 *file,
                        TtdQueue              *queue,
                        TtdQueueItem          *item,
                        TtdUploadFlags         flags,
                        TtdUploadProgressFunc  progress,
                        gpointer               progress_data,
                        GCancellable          *cancellable,
                        GError               **error)
{
  Upload upload = { 0, };
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = ttd_media_dup_display_name (file);
  TtdUploadResult *result = NULL;
  gint64 size = 0;
  gboolean sent = FALSE;

  g_return_val_if_fail (TTD_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  upload.account = account;
  upload.file = file;
  upload.progress = progress;
  upload.progress_data = progress_data;
  upload.cancellable = cancellable;
  upload.queue = queue;
  upload.item = item;

  report (&upload, TTD_UPLOAD_PHASE_CHECKING, NULL, TRUE);

  if (!ttd_media_check_video (file, &upload.content_type, &size, cancellable, error))
    goto out;

  /* Open once and keep the handle: the size sent at init is the size of
   * what this handle reads, even if the path is replaced meanwhile. */
  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                   _("“%s” could not be opened (%s)."), name, local_error->message);
      goto out;
    }
  upload.stream = stream;

  info = g_file_input_stream_query_info (stream,
                                         G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                         G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                                         G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                                         cancellable, NULL);
  if (info != NULL)
    {
      size = g_file_info_get_size (info);
      upload.file_mtime = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
      upload.file_mtime_usec = g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
    }

  if (!ttd_chunk_plan_compute (size, 0, &upload.plan, error))
    goto out;

  if (can_resume (&upload, item))
    {
      upload.publish_id = g_strdup (item->publish_id);
      upload.upload_url = g_strdup (item->upload_url);
      upload.acknowledged = item->acknowledged;
      sent = item->acknowledged == upload.plan.video_size;
      g_debug ("Continuing upload %s from byte %" G_GINT64_FORMAT, upload.publish_id, upload.acknowledged);
    }
  else if (item != NULL && item->publish_id != NULL && item->state == TTD_QUEUE_STATE_PROCESSING &&
           item->file_size == upload.plan.video_size && item->file_mtime == upload.file_mtime)
    {
      /* Everything was sent before; only TikTok's answer is missing. */
      upload.publish_id = g_strdup (item->publish_id);
      upload.acknowledged = upload.plan.video_size;
      sent = TRUE;
    }
  else
    {
      report (&upload, TTD_UPLOAD_PHASE_STARTING, NULL, TRUE);
      if (!init_upload (&upload, error))
        goto out;
    }

  if (!sent && !send_chunks (&upload, ttd_chunk_plan_index_at (&upload.plan, upload.acknowledged), error))
    goto out;

  result = g_new0 (TtdUploadResult, 1);
  result->publish_id = g_strdup (upload.publish_id);
  result->plan = upload.plan;

  if (flags & TTD_UPLOAD_FLAGS_WAIT)
    {
      report (&upload, TTD_UPLOAD_PHASE_PROCESSING, NULL, TRUE);
      if (!_ttd_upload_result_wait (result, account, progress, progress_data, cancellable, error))
        {
          g_clear_pointer (&result, ttd_upload_result_free);
          goto out;
        }
    }

  report (&upload, TTD_UPLOAD_PHASE_DONE, result->status, TRUE);

out:
  g_free (upload.content_type);
  g_free (upload.publish_id);
  ttd_secure_free (upload.upload_url);

  return result;
}

/**
 * ttd_account_upload_video:
 * @flags: %TTD_UPLOAD_FLAGS_WAIT to poll until TikTok has the draft
 *
 * Checks the file, asks TikTok for an inbox upload, streams the chunks and
 * (optionally) waits for SEND_TO_USER_INBOX. Blocks; run it in a thread.
 *
 * Returns: (transfer full): the result, also when TikTok reported FAILED
 *   (see @status and @fail_reason); %NULL with @error when no draft was
 *   created or sending failed.
 */
TtdUploadResult *
ttd_account_upload_video (TtdAccount            *account,
                          GFile                 *file,
                          TtdUploadFlags         flags,
                          TtdUploadProgressFunc  progress,
                          gpointer               progress_data,
                          GCancellable          *cancellable,
                          GError               **error)
{
  return _ttd_upload_video_item (account, file, NULL, NULL, flags, progress, progress_data,
                                 cancellable, error);
}

static TtdUploadResult *
run_video (TtdAccount            *account,
           gpointer               job,
           TtdUploadFlags         flags,
           TtdUploadProgressFunc  progress,
           gpointer               progress_data,
           GCancellable          *cancellable,
           GError               **error)
{
  return ttd_account_upload_video (account, job, flags, progress, progress_data, cancellable, error);
}

/**
 * ttd_account_upload_video_async:
 * @progress: (nullable): called in the caller's thread-default main context
 *
 * ttd_account_upload_video() in a worker thread; @account is the source
 * object of the result.
 */
void
ttd_account_upload_video_async (TtdAccount            *account,
                                GFile                 *file,
                                TtdUploadFlags         flags,
                                TtdUploadProgressFunc  progress,
                                gpointer               progress_data,
                                GDestroyNotify         progress_destroy,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  g_return_if_fail (TTD_IS_ACCOUNT (account));
  g_return_if_fail (G_IS_FILE (file));

  _ttd_upload_run_async (account, run_video, g_object_ref (file), g_object_unref, flags,
                         progress, progress_data, progress_destroy, cancellable,
                         callback, user_data, ttd_account_upload_video_async);
}

TtdUploadResult *
ttd_account_upload_video_finish (TtdAccount    *account,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _ttd_upload_run_finish (account, result, ttd_account_upload_video_async, error);
}
