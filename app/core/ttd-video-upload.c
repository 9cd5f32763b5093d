/* ttd-video-upload.c — one video to the drafts inbox, streamed in chunks
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "ttd-bounded-input-stream.h"
#include "ttd-cancellable.h"
#include "ttd-error.h"
#include "ttd-media.h"
#include "ttd-queue.h"
#include "ttd-secure.h"
#include "ttd-upload-private.h"
#include "ttd-video-upload.h"

/* The whole upload runs in one worker thread with libsoup's blocking API:
 * chunks must go strictly one after another anyway, the file is read
 * straight from disk into the socket (memory does not grow with the file),
 * and the main loop never waits on any of it. */

#define CHUNK_ATTEMPTS        6
#define REINIT_ATTEMPTS       2
#define RATE_LIMIT_ATTEMPTS   4
#define POLL_DEADLINE_SECONDS (10 * 60)
#define PROGRESS_INTERVAL_US  (100 * 1000)

G_DEFINE_BOXED_TYPE (TtdUploadResult, ttd_upload_result, ttd_upload_result_copy, ttd_upload_result_free)

TtdUploadResult *
ttd_upload_result_copy (const TtdUploadResult *self)
{
  TtdUploadResult *copy = g_new0 (TtdUploadResult, 1);

  copy->publish_id = g_strdup (self->publish_id);
  copy->status = g_strdup (self->status);
  copy->fail_reason = g_strdup (self->fail_reason);
  copy->plan = self->plan;

  return copy;
}

void
ttd_upload_result_free (TtdUploadResult *self)
{
  if (self == NULL)
    return;

  g_free (self->publish_id);
  g_free (self->status);
  g_free (self->fail_reason);
  g_free (self);
}

gboolean
ttd_upload_result_succeeded (const TtdUploadResult *self)
{
  return g_strcmp0 (self->status, TTD_STATUS_SEND_TO_USER_INBOX) == 0 ||
         g_strcmp0 (self->status, TTD_STATUS_PUBLISH_COMPLETE) == 0;
}

gboolean
ttd_sleep_cancellable (guint          milliseconds,
                       GCancellable  *cancellable,
                       GError       **error)
{
  GPollFD fd;

  if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &fd))
    {
      g_poll (&fd, 1, milliseconds);
      g_cancellable_release_fd (cancellable);
    }
  else
    g_usleep ((gulong) milliseconds * 1000);

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/**
 * ttd_wait_for_network:
 *
 * Returns at once while GIO believes the network is there; otherwise
 * pauses (cancellably) until it comes back.
 */
gboolean
ttd_wait_for_network (GCancellable  *cancellable,
                      GError       **error)
{
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  gboolean announced = FALSE;

  while (!g_network_monitor_get_network_available (monitor))
    {
      if (!announced)
        g_message ("The network is gone; waiting for it to come back");
      announced = TRUE;
      if (!ttd_sleep_cancellable (1000, cancellable, error))
        return FALSE;
    }

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/**
 * ttd_wait_rate_limited:
 * @attempt: how many times in a row TikTok said rate_limit_exceeded
 *
 * TikTok's windows are one minute: wait 5, 10, 20, then 40 seconds.
 */
gboolean
ttd_wait_rate_limited (guint          attempt,
                       GCancellable  *cancellable,
                       GError       **error)
{
  guint ms = 5000u << MIN (attempt, 3u);

  g_message ("TikTok is limiting requests; trying again in %u s", ms / 1000);
  return ttd_sleep_cancellable (ms + ttd_random_uint32 () % 1000, cancellable, error);
}

/* Exponential back-off with jitter: 1 s, 2 s, 4 s … capped at 30 s, each
 * stretched by up to half again so retries from many clients spread out. */
static guint
backoff_ms (guint attempt)
{
  guint base = MIN (30000u, 1000u << MIN (attempt, 5u));

  return base + ttd_random_uint32 () % (base / 2 + 1);
}

typedef struct
{
  TtdAccount            *account;
  GFile                 *file;
  GInputStream          *stream;
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
  gint64                 file_mtime;

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
              !ttd_sleep_cancellable (backoff_ms (attempt), upload->cancellable, error))
            return FALSE;
          continue;
        }

      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
}

/* Reads `bytes 0-LAST/TOTAL` from an upload answer: how much TikTok has. */
static gint64
parse_received (SoupMessage *message)
{
  const char *range = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                    "Content-Range");
  gint64 first = 0;
  gint64 last = -1;

  if (range == NULL || sscanf (range, "bytes %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, &first, &last) != 2)
    return -1;

  return last + 1;
}

/* Whether the file on disk is no longer what the upload started with. */
static gboolean
file_changed (Upload *upload)
{
  g_autoptr(GFileInfo) info = NULL;

  info = g_file_query_info (upload->file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_TIME_MODIFIED,
                            G_FILE_QUERY_INFO_NONE, NULL, NULL);

  return info == NULL ||
         g_file_info_get_size (info) != upload->plan.video_size ||
         (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) != upload->file_mtime;
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

  message = soup_message_new (SOUP_METHOD_PUT, upload->upload_url);
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

  body = ttd_bounded_input_stream_new (upload->stream, first, length, upload->cancellable, error);
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
  *server_received = parse_received (message);
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
          upload->acknowledged = upload->plan.video_size;
          checkpoint (upload, TTD_QUEUE_STATE_PROCESSING);
          report (upload, TTD_UPLOAD_PHASE_SENDING, NULL, TRUE);
          return TRUE;

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
              !ttd_sleep_cancellable (backoff_ms (failures++), upload->cancellable, error))
            return FALSE;
          break;

        case CHUNK_FATAL:
        default:
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  /* Every chunk was acknowledged with 206 but none with 201. */
  return TRUE;
}

/**
 * ttd_wait_for_publish:
 *
 * Polls the status with back-off (1 s, 2 s, 3 s, 5 s, then 10 s; within
 * TikTok's 30 requests a minute) until SEND_TO_USER_INBOX or FAILED, or
 * for ten minutes, after which the last status is returned as it is.
 */
TtdPublishStatus *
ttd_wait_for_publish (TtdAccount            *account,
                      const char            *publish_id,
                      TtdUploadProgressFunc  progress,
                      gpointer               progress_data,
                      GCancellable          *cancellable,
                      GError               **error)
{
  static const guint delays_ms[] = { 1000, 2000, 3000, 5000, 5000, 10000 };
  gint64 deadline = g_get_monotonic_time () + POLL_DEADLINE_SECONDS * G_USEC_PER_SEC;
  g_autoptr(TtdPublishStatus) last = NULL;
  guint transient = 0;

  for (guint poll = 0; ; poll++)
    {
      g_autoptr(GError) local_error = NULL;
      TtdPublishStatus *status;

      if (!ttd_sleep_cancellable (delays_ms[MIN (poll, G_N_ELEMENTS (delays_ms) - 1)],
                                  cancellable, error))
        return NULL;

      status = ttd_account_fetch_status (account, publish_id, cancellable, &local_error);
      if (status == NULL)
        {
          if (!ttd_error_is_transient (local_error) || transient++ >= 5)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          g_debug ("Status check failed, will retry: %s", local_error->message);
        }
      else
        {
          g_clear_pointer (&last, ttd_publish_status_free);
          last = status;
          transient = 0;

          if (progress != NULL)
            {
              TtdUploadProgress p = { TTD_UPLOAD_PHASE_PROCESSING, 0, 0, publish_id, status->status };

              progress (&p, progress_data);
            }

          if (ttd_publish_status_is_final (status))
            return g_steal_pointer (&last);
        }

      if (g_get_monotonic_time () > deadline)
        {
          if (last != NULL)
            return g_steal_pointer (&last);

          g_set_error (error, TTD_ERROR, TTD_ERROR_TIMEOUT,
                       _("TikTok did not report on the draft within 10 minutes. Check later with the publish ID %s."),
                       publish_id);
          return NULL;
        }
    }
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
  upload.stream = G_INPUT_STREAM (stream);

  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                         cancellable, NULL);
  if (info != NULL)
    {
      size = g_file_info_get_size (info);
      upload.file_mtime = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
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
      g_autoptr(TtdPublishStatus) status = NULL;

      report (&upload, TTD_UPLOAD_PHASE_PROCESSING, NULL, TRUE);
      status = ttd_wait_for_publish (account, upload.publish_id, progress, progress_data,
                                     cancellable, error);
      if (status == NULL)
        {
          g_clear_pointer (&result, ttd_upload_result_free);
          goto out;
        }

      result->status = g_strdup (status->status);
      result->fail_reason = g_strdup (status->fail_reason);
    }

  report (&upload, TTD_UPLOAD_PHASE_DONE, result->status, TRUE);

out:
  g_free (upload.content_type);
  g_free (upload.publish_id);
  ttd_secure_free (upload.upload_url);

  return result;
}

/**
 * ttd_upload_video:
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
ttd_upload_video (TtdAccount            *account,
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

/* Runs an upload (video or slideshow) in a GTask thread and carries its
 * progress back to the caller's main context. Shared by both kinds. */

typedef struct
{
  TtdUploadRunFunc       run;
  gpointer               job;
  GDestroyNotify         job_free;
  TtdUploadFlags         flags;
  TtdUploadProgressFunc  progress;
  gpointer               progress_data;
  GDestroyNotify         progress_destroy;
  GMainContext          *context;
} AsyncData;

typedef struct
{
  AsyncData         *async;
  GTask             *task;
  TtdUploadProgress  progress;
  char              *publish_id;
  char              *status;
} ProgressCall;

static void
async_data_free (AsyncData *data)
{
  if (data->job_free != NULL)
    data->job_free (data->job);
  if (data->progress_destroy != NULL)
    data->progress_destroy (data->progress_data);
  g_main_context_unref (data->context);
  g_free (data);
}

static gboolean
deliver_progress (gpointer user_data)
{
  ProgressCall *call = user_data;

  if (!g_task_get_completed (call->task) &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (call->task)))
    call->async->progress (&call->progress, call->async->progress_data);

  return G_SOURCE_REMOVE;
}

static void
progress_call_free (ProgressCall *call)
{
  g_object_unref (call->task);
  g_free (call->publish_id);
  g_free (call->status);
  g_free (call);
}

static void
forward_progress (const TtdUploadProgress *progress,
                  gpointer                 user_data)
{
  GTask *task = user_data;
  AsyncData *data = g_task_get_task_data (task);
  ProgressCall *call = g_new0 (ProgressCall, 1);

  call->async = data;
  call->task = g_object_ref (task);
  call->progress = *progress;
  call->publish_id = g_strdup (progress->publish_id);
  call->status = g_strdup (progress->status);
  call->progress.publish_id = call->publish_id;
  call->progress.status = call->status;

  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, deliver_progress,
                              call, (GDestroyNotify) progress_call_free);
}

static void
upload_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AsyncData *data = task_data;
  GError *error = NULL;
  TtdUploadResult *result;

  result = data->run (source_object, data->job, data->flags,
                      data->progress ? forward_progress : NULL, task,
                      cancellable, &error);
  if (result != NULL)
    g_task_return_pointer (task, result, (GDestroyNotify) ttd_upload_result_free);
  else
    g_task_return_error (task, error);
}

void
_ttd_upload_run_async (TtdAccount            *account,
                       TtdUploadRunFunc       run,
                       gpointer               job,
                       GDestroyNotify         job_free,
                       TtdUploadFlags         flags,
                       TtdUploadProgressFunc  progress,
                       gpointer               progress_data,
                       GDestroyNotify         progress_destroy,
                       GCancellable          *cancellable,
                       GAsyncReadyCallback    callback,
                       gpointer               user_data,
                       gpointer               source_tag)
{
  g_autoptr(GTask) task = NULL;
  AsyncData *data = g_new0 (AsyncData, 1);

  data->run = run;
  data->job = job;
  data->job_free = job_free;
  data->flags = flags;
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_destroy = progress_destroy;
  data->context = g_main_context_ref_thread_default ();

  task = g_task_new (account, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) async_data_free);
  g_task_run_in_thread (task, upload_thread);
}

TtdUploadResult *
_ttd_upload_run_finish (TtdAccount    *account,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, account), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
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
  return ttd_upload_video (account, job, flags, progress, progress_data, cancellable, error);
}

void
ttd_upload_video_async (TtdAccount            *account,
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
                         callback, user_data, ttd_upload_video_async);
}

TtdUploadResult *
ttd_upload_video_finish (TtdAccount    *account,
                         GAsyncResult  *result,
                         GError       **error)
{
  return _ttd_upload_run_finish (account, result, error);
}
