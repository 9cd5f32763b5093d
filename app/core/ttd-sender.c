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

/**
 * ttd_account_send_queue_item:
 *
 * Claims the item (no other process may be sending it), sends it, and
 * records the outcome: delivered items leave the queue; anything else stays
 * with its state and a sentence saying what happened. Blocks.
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

  g_return_val_if_fail (TTD_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (TTD_IS_QUEUE (queue), NULL);

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

  sending.item = item;
  g_clear_pointer (&item->error, g_free);
  if (item->state == TTD_QUEUE_STATE_FAILED || item->state == TTD_QUEUE_STATE_QUEUED)
    item->state = item->publish_id && item->acknowledged == item->file_size && item->file_size > 0
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
          ttd_queue_remove (queue, item_id, NULL);
          return result;
        }

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
      /* Waiting on TikTok's side (pending drafts, rate, network): keep it
       * queued; anything else needs the user. */
      item->state = (g_error_matches (local_error, TTD_ERROR, TTD_ERROR_PENDING_LIMIT) ||
                     ttd_error_is_transient (local_error))
                    ? TTD_QUEUE_STATE_QUEUED : TTD_QUEUE_STATE_FAILED;
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
