/* ttd-upload.c — what the video, slideshow and queue uploads share
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ttd-error.h"
#include "ttd-upload-private.h"
#include "ttd-upload.h"
#include "ttd-wait.h"

#define POLL_DEADLINE_SECONDS (10 * 60)

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

/**
 * ttd_account_wait_for_publish:
 *
 * Polls the status with back-off (1 s, 2 s, 3 s, 5 s, then 10 s; within
 * TikTok's 30 requests a minute) until SEND_TO_USER_INBOX or FAILED, or
 * for ten minutes, after which the last status is returned as it is.
 */
TtdPublishStatus *
ttd_account_wait_for_publish (TtdAccount            *account,
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

/**
 * _ttd_upload_result_wait:
 *
 * Polls TikTok until @self's draft is delivered or failed (see
 * ttd_account_wait_for_publish()) and records the final status in @self.
 */
gboolean
_ttd_upload_result_wait (TtdUploadResult       *self,
                         TtdAccount            *account,
                         TtdUploadProgressFunc  progress,
                         gpointer               progress_data,
                         GCancellable          *cancellable,
                         GError               **error)
{
  g_autoptr(TtdPublishStatus) status = NULL;

  status = ttd_account_wait_for_publish (account, self->publish_id, progress, progress_data,
                                         cancellable, error);
  if (status == NULL)
    return FALSE;

  g_free (self->status);
  self->status = g_strdup (status->status);
  g_free (self->fail_reason);
  self->fail_reason = g_strdup (status->fail_reason);

  return TRUE;
}

/* Runs an upload (video, slideshow or queue item) in a GTask thread whose
 * source object is the account, and carries its progress back to the
 * caller's main context. */

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
                        gpointer       source_tag,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, account), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
