/* ttd-sender.c
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ttd-error.h"
#include "ttd-photo-upload.h"
#include "ttd-sender.h"
#include "ttd-upload-private.h"
#include "ttd-video-upload-private.h"

/**
 * ttd_queue_add_video:
 *
 * Queues a video, unless an unfinished upload of the same unchanged file
 * is queued already: then that item is returned, and sending it continues
 * the upload instead of making a second draft.
 *
 * Returns: (transfer full): the queue item.
 */
TtdQueueItem *
ttd_queue_add_video (TtdQueue    *queue,
                     GFile       *file,
                     const char  *open_id,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = g_file_get_path (file);
  TtdQueueItem *item;

  item = ttd_queue_find_video (queue, file, open_id, &local_error);
  if (item != NULL)
    return item;

  item = ttd_queue_item_new (TTD_QUEUE_KIND_VIDEO);
  item->open_id = g_strdup (open_id);
  item->paths = g_new0 (char *, 2);
  item->paths[0] = path ? g_strdup (path) : g_file_get_uri (file);

  if (!ttd_queue_put (queue, item, error))
    {
      ttd_queue_item_free (item);
      return NULL;
    }

  return item;
}

typedef struct
{
  TtdQueue              *queue;
  TtdQueueItem          *item;
  TtdUploadProgressFunc  progress;
  gpointer               progress_data;
} Sending;

/* Slideshows report their publish_id through progress: keep it, so an
 * interrupted slideshow resumes by polling instead of posting twice. */
static void
slideshow_progress (const TtdUploadProgress *progress,
                    gpointer                 user_data)
{
  Sending *sending = user_data;

  if (progress->publish_id != NULL && sending->item->publish_id == NULL)
    {
      g_autoptr(GError) error = NULL;

      sending->item->publish_id = g_strdup (progress->publish_id);
      sending->item->state = TTD_QUEUE_STATE_PROCESSING;
      if (!ttd_queue_put (sending->queue, sending->item, &error))
        g_warning ("%s", error->message);
    }

  if (sending->progress != NULL)
    sending->progress (progress, sending->progress_data);
}

static TtdUploadResult *
send_slideshow (Sending        *sending,
                TtdAccount     *account,
                TtdUploadFlags  flags,
                GCancellable   *cancellable,
                GError        **error)
{
  TtdQueueItem *item = sending->item;
  g_autoptr(TtdSlideshow) slideshow = NULL;

  if (item->publish_id != NULL && item->state == TTD_QUEUE_STATE_PROCESSING)
    {
      TtdUploadResult *result = g_new0 (TtdUploadResult, 1);

      result->publish_id = g_strdup (item->publish_id);
      if ((flags & TTD_UPLOAD_FLAGS_WAIT) &&
          !_ttd_upload_result_wait (result, account, sending->progress, sending->progress_data,
                                    cancellable, error))
        {
          ttd_upload_result_free (result);
          return NULL;
        }
      return result;
    }

  slideshow = ttd_slideshow_new ();
  for (guint i = 0; item->paths != NULL && item->paths[i] != NULL; i++)
    g_ptr_array_add (slideshow->images, g_file_new_for_path (item->paths[i]));
  slideshow->title = g_strdup (item->title);
  slideshow->description = g_strdup (item->description);
  slideshow->cover_index = item->cover_index;

  return ttd_account_upload_slideshow (account, slideshow, flags, slideshow_progress, sending,
                                       cancellable, error);
}

/* TikTok's refusals that only mean "not now". */
static TtdWaitReason
wait_reason_for (const GError *error)
{
  if (g_error_matches (error, TTD_ERROR, TTD_ERROR_PENDING_LIMIT))
    return TTD_WAIT_PENDING_CAP;
  if (g_error_matches (error, TTD_ERROR, TTD_ERROR_RATE_LIMITED))
    return TTD_WAIT_RATE_LIMIT;
  return TTD_WAIT_NONE;
}


/* Whether @other, held back by TikTok, shows that new uploads of the
 * account are refused until its next try: the pending cap refuses every
 * init, the rate limit those it was met at (not a status check's). */
static gboolean
holds_new_uploads (const TtdQueueItem *other,
                   gint64              now)
{
  return ttd_queue_item_is_waiting (other) && !ttd_queue_item_is_due (other, now) &&
         (other->wait_reason == TTD_WAIT_PENDING_CAP ||
          (other->wait_reason == TTD_WAIT_RATE_LIMIT && other->state != TTD_QUEUE_STATE_PROCESSING));
}

/* Whether @a and @b are for the same account as far as the queue knows (an
 * item from before several accounts is for the default one: counted). */
static gboolean
same_account (const TtdQueueItem *a,
              const TtdQueueItem *b)
{
  return a->open_id == NULL || b->open_id == NULL || g_str_equal (a->open_id, b->open_id);
}

/* The earliest next try of the items of @item's account that hold new
 * uploads back: TikTok's cap and rate limit are per account, so another
 * account's waiting items never hold this one. */
static gboolean
find_hold (TtdQueue           *queue,
           const TtdQueueItem *item,
           gint64              now,
           TtdWaitReason      *reason,
           gint64             *until)
{
  g_autoptr(GPtrArray) items = ttd_queue_list (queue, NULL);

  *until = 0;
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      TtdQueueItem *other = g_ptr_array_index (items, i);

      if (g_strcmp0 (other->id, item->id) != 0 && same_account (other, item) &&
          holds_new_uploads (other, now) &&
          (*until == 0 || other->next_try_at < *until))
        {
          *until = other->next_try_at;
          *reason = other->wait_reason;
        }
    }

  return *until > 0;
}

/* For %TTD_UPLOAD_FLAGS_DUE_ONLY, with @item claimed: whether it must wait,
 * for its own next try or with another item that TikTok held back (it would
 * only be refused the same way, and use up one of the account's inits).
 * Then it is recorded so, released, and @error says until when. */
static gboolean
must_wait (TtdQueue      *queue,
           TtdQueueItem  *item,
           gint64         now,
           GError       **error)
{
  TtdWaitReason reason = item->wait_reason;
  gint64 until = item->next_try_at;
  g_autofree char *log_id = NULL;

  if (!ttd_queue_item_is_due (item, now))
    {
      /* Its own wait: TikTok's log ID of the answer that held it back. */
      GError said = { TTD_ERROR, TTD_ERROR_FAILED, item->error };

      log_id = item->error ? ttd_error_dup_log_id (&said) : NULL;
    }
  else if (item->publish_id != NULL || !find_hold (queue, item, now, &reason, &until))
    return FALSE;

  if (item->state == TTD_QUEUE_STATE_FAILED)
    item->state = TTD_QUEUE_STATE_QUEUED;
  item->wait_reason = reason;
  item->next_try_at = until;
  item->owner_pid = 0;
  ttd_queue_put (queue, item, NULL);
  ttd_wait_set_error (error, reason, until, log_id);
  return TRUE;
}

/* TikTok held @item back: it stays queued (or processing, once TikTok has
 * it: then the next try checks on it, never starts it again) until a
 * next try that comes later each time. */
static void
record_wait (TtdQueue      *queue,
             TtdQueueItem  *item,
             TtdWaitReason  reason,
             const GError  *said,
             GError       **error)
{
  g_autofree char *log_id = ttd_error_dup_log_id (said);

  if (item->state != TTD_QUEUE_STATE_PROCESSING || item->publish_id == NULL)
    item->state = TTD_QUEUE_STATE_QUEUED;
  /* Each reason's waits grow from its own first step. */
  if (item->wait_reason != reason)
    item->wait_count = 0;
  item->wait_reason = reason;
  item->next_try_at = g_get_real_time () / G_USEC_PER_SEC +
                      ttd_retry_delay_seconds (reason, (guint) MIN (item->wait_count, G_MAXUINT));
  item->wait_count++;
  g_free (item->error);
  item->error = g_strdup (said->message);
  item->owner_pid = 0;
  ttd_queue_put (queue, item, NULL);

  g_message ("TikTok holds back queue item %s (%s); next try in %" G_GINT64_FORMAT " s", item->id,
             ttd_wait_reason_to_string (reason), item->next_try_at - g_get_real_time () / G_USEC_PER_SEC);
  ttd_wait_set_error (error, reason, item->next_try_at, log_id);
}

/**
 * ttd_account_send_queue_item:
 * @flags: with %TTD_UPLOAD_FLAGS_DUE_ONLY, an item TikTok held back waits
 *   for its next try
 *
 * Claims the item (no other process may be sending it), sends it, and
 * records the outcome: delivered items leave the queue; anything else stays
 * with its state and a sentence saying what happened. When TikTok holds the
 * item back (its pending-draft cap, its rate limit) it stays queued with
 * the time of its next try, and the error is a %TTD_WAIT_ERROR that carries
 * that time. Blocks.
 */
TtdUploadResult *
ttd_account_send_queue_item (TtdAccount            *account,
                             TtdQueue              *queue,
                             const char            *item_id,
                             TtdUploadFlags         flags,
                             TtdUploadProgressFunc  progress,
                             gpointer               progress_data,
                             GCancellable          *cancellable,
                             GError               **error)
{
  g_autoptr(TtdQueueItem) item = NULL;
  g_autoptr(GError) local_error = NULL;
  TtdUploadResult *result = NULL;
  Sending sending = { queue, NULL, progress, progress_data };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  TtdWaitReason reason;

  g_return_val_if_fail (TTD_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (TTD_IS_QUEUE (queue), NULL);

  /* A retry of its own meets an item another process is sending: it waits. */
  if (flags & TTD_UPLOAD_FLAGS_DUE_ONLY)
    {
      g_autoptr(TtdQueueItem) current = ttd_queue_lookup (queue, item_id, NULL);

      if (current != NULL && ttd_queue_item_is_claimed_elsewhere (current))
        {
          ttd_wait_set_error (error, TTD_WAIT_ELSEWHERE,
                              now + ttd_retry_delay_seconds (TTD_WAIT_ELSEWHERE, 0), NULL);
          return NULL;
        }
    }

  if (!ttd_queue_claim (queue, item_id, error))
    return NULL;

  item = ttd_queue_lookup (queue, item_id, error);
  if (item == NULL)
    return NULL;

  /* An item goes to the account it was queued for, never another. */
  if (item->open_id != NULL)
    {
      g_autofree char *open_id = ttd_account_dup_open_id (account);

      if (g_strcmp0 (open_id, item->open_id) != 0)
        {
          ttd_queue_release (queue, item_id, NULL);
          g_set_error_literal (error, TTD_ERROR, TTD_ERROR_NO_SUCH_ACCOUNT,
                               _("This item belongs to another TikTok account than the one it was about to be sent with; nothing was sent."));
          return NULL;
        }
    }

  /* Checked under the claim: another process may have tried it meanwhile. */
  if ((flags & TTD_UPLOAD_FLAGS_DUE_ONLY) && must_wait (queue, item, now, error))
    return NULL;

  sending.item = item;
  g_clear_pointer (&item->error, g_free);
  /* A slideshow TikTok has (it has a publish_id) is only checked on: a
   * second content/init would make a second draft. */
  if (item->state == TTD_QUEUE_STATE_FAILED || item->state == TTD_QUEUE_STATE_QUEUED)
    item->state = (item->publish_id && item->kind == TTD_QUEUE_KIND_SLIDESHOW) ||
                  (item->publish_id && item->acknowledged == item->file_size && item->file_size > 0)
                  ? TTD_QUEUE_STATE_PROCESSING : TTD_QUEUE_STATE_SENDING;
  ttd_queue_put (queue, item, NULL);

  if (item->kind == TTD_QUEUE_KIND_VIDEO)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (item->paths[0]);

      result = _ttd_upload_video_item (account, file, queue, item, flags, progress, progress_data,
                                       cancellable, &local_error);
    }
  else
    result = send_slideshow (&sending, account, flags, cancellable, &local_error);

  if (result != NULL)
    {
      g_free (item->publish_id);
      item->publish_id = g_strdup (result->publish_id);
      g_free (item->status);
      item->status = g_strdup (result->status);

      if (ttd_upload_result_succeeded (result))
        {
          g_autoptr(GError) delivered_error = NULL;

          if (!ttd_queue_mark_delivered (queue, item_id, &delivered_error))
            g_warning ("%s", delivered_error->message);
          return result;
        }

      ttd_queue_item_clear_wait (item);

      if (g_strcmp0 (result->status, TTD_STATUS_FAILED) == 0)
        {
          item->state = TTD_QUEUE_STATE_FAILED;
          item->error = ttd_error_describe_fail_reason (result->fail_reason);
          /* A failed draft cannot continue: a retry starts a new upload. */
          g_clear_pointer (&item->publish_id, g_free);
          g_clear_pointer (&item->upload_url, g_free);
          item->acknowledged = 0;
        }
      else
        item->state = TTD_QUEUE_STATE_PROCESSING;
    }
  else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Stays as it was, ready to continue. */
      g_autoptr(TtdQueueItem) saved = ttd_queue_lookup (queue, item_id, NULL);

      if (saved != NULL && saved->state == TTD_QUEUE_STATE_SENDING && saved->publish_id == NULL)
        saved->state = TTD_QUEUE_STATE_QUEUED;
      if (saved != NULL)
        {
          saved->owner_pid = 0;
          ttd_queue_put (queue, saved, NULL);
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  else
    {
      g_autoptr(TtdQueueItem) saved = ttd_queue_lookup (queue, item_id, NULL);

      if (saved != NULL)
        {
          ttd_queue_item_free (item);
          item = g_steal_pointer (&saved);
        }

      reason = wait_reason_for (local_error);
      if (reason != TTD_WAIT_NONE)
        {
          record_wait (queue, item, reason, local_error, error);
          return NULL;
        }

      /* A network or server problem: keep it queued; anything else needs
       * the user. */
      item->state = ttd_error_is_transient (local_error) ? TTD_QUEUE_STATE_QUEUED : TTD_QUEUE_STATE_FAILED;
      ttd_queue_item_clear_wait (item);
      g_free (item->error);
      item->error = g_strdup (local_error->message);
    }

  item->owner_pid = 0;
  ttd_queue_put (queue, item, NULL);

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));

  return result;
}

typedef struct
{
  TtdQueue     *queue;
  char         *item_id;
  TtdQueueItem *snapshot;   /* recorded first, if set */
} Job;

static void
job_free (Job *job)
{
  g_object_unref (job->queue);
  g_free (job->item_id);
  g_clear_pointer (&job->snapshot, ttd_queue_item_free);
  g_free (job);
}

static TtdUploadResult *
run_item (TtdAccount            *account,
          gpointer               data,
          TtdUploadFlags         flags,
          TtdUploadProgressFunc  progress,
          gpointer               progress_data,
          GCancellable          *cancellable,
          GError               **error)
{
  Job *job = data;

  if (job->snapshot != NULL && !ttd_queue_upsert (job->queue, job->snapshot, error))
    return NULL;

  return ttd_account_send_queue_item (account, job->queue, job->item_id, flags, progress, progress_data,
                                      cancellable, error);
}

/**
 * ttd_account_send_queue_item_async:
 * @progress: (nullable): called in the caller's thread-default main context
 *
 * ttd_account_send_queue_item() in a worker thread; @account is the source
 * object of the result.
 */
void
ttd_account_send_queue_item_async (TtdAccount            *account,
                                   TtdQueue              *queue,
                                   const char            *item_id,
                                   TtdUploadFlags         flags,
                                   TtdUploadProgressFunc  progress,
                                   gpointer               progress_data,
                                   GDestroyNotify         progress_destroy,
                                   GCancellable          *cancellable,
                                   GAsyncReadyCallback    callback,
                                   gpointer               user_data)
{
  Job *job = g_new0 (Job, 1);

  job->queue = g_object_ref (queue);
  job->item_id = g_strdup (item_id);
  _ttd_upload_run_async (account, run_item, job, (GDestroyNotify) job_free, flags,
                         progress, progress_data, progress_destroy, cancellable,
                         callback, user_data, ttd_account_send_queue_item_async);
}

/**
 * ttd_account_send_queue_snapshot_async:
 * @snapshot: the item as the user set it up (see ttd_queue_upsert())
 *
 * Records @snapshot in the queue, then sends it; both off the main loop.
 * Finish it with ttd_account_send_queue_item_finish().
 */
void
ttd_account_send_queue_snapshot_async (TtdAccount            *account,
                                       TtdQueue              *queue,
                                       const TtdQueueItem    *snapshot,
                                       TtdUploadFlags         flags,
                                       TtdUploadProgressFunc  progress,
                                       gpointer               progress_data,
                                       GDestroyNotify         progress_destroy,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  Job *job = g_new0 (Job, 1);

  job->queue = g_object_ref (queue);
  job->item_id = g_strdup (snapshot->id);
  job->snapshot = ttd_queue_item_copy (snapshot);
  _ttd_upload_run_async (account, run_item, job, (GDestroyNotify) job_free, flags,
                         progress, progress_data, progress_destroy, cancellable,
                         callback, user_data, ttd_account_send_queue_item_async);
}

TtdUploadResult *
ttd_account_send_queue_item_finish (TtdAccount    *account,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _ttd_upload_run_finish (account, result, ttd_account_send_queue_item_async, error);
}
