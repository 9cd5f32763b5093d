/* ttd-draft-session-send.c — sending the session's items to the TikTok drafts inbox
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Items are sent one after another: TikTok allows six upload inits a minute
 * and wants a video's chunks in order, so nothing is gained by running
 * several at once. Stop cancels the current item and leaves the rest queued.
 * When a send ends, #TtdDraftSession::send-finished says how it went.
 *
 * What TikTok holds back (too many drafts waiting in the TikTok app, or its
 * rate limit) stays queued and says when its next try is; one timer, for
 * the earliest next try, sends what is due then (%TTD_UPLOAD_FLAGS_DUE_ONLY:
 * the queue file has the last word on when, whichever process tried last).
 * "Send to Drafts" meanwhile tries at once.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ttd-draft-session-private.h"

static void send_next      (TtdDraftSession *self);
static void start_sending  (TtdDraftSession *self,
                            gboolean         due_only);

/* Longest sleep of the retry timer: it counts monotonic time, the next try
 * is wall-clock time, and they part when the computer sleeps. */
#define RETRY_CHECK_SECONDS 60

static const char *
done_status (void)
{
  return _("In your TikTok inbox — open TikTok to finish the post");
}

static void
progress_cb (const TtdUploadProgress *progress,
             gpointer                 user_data)
{
  TtdUploadItem *item = user_data;
  g_autofree char *status = NULL;
  double fraction = 0;

  if (progress->bytes_total > 0)
    fraction = (double) progress->bytes_sent / (double) progress->bytes_total;

  if (progress->publish_id != NULL)
    ttd_upload_item_set_publish_id (item, progress->publish_id);

  switch (progress->phase)
    {
    case TTD_UPLOAD_PHASE_CHECKING:
      ttd_upload_item_set_status (item, _("Checking…"));
      break;

    case TTD_UPLOAD_PHASE_CONVERTING:
      status = g_strdup_printf (_("Preparing photo %d of %d…"),
                                (int) MIN (progress->bytes_sent + 1, progress->bytes_total),
                                (int) progress->bytes_total);
      ttd_upload_item_set_fraction (item, fraction);
      ttd_upload_item_set_status (item, status);
      break;

    case TTD_UPLOAD_PHASE_HOSTING:
    case TTD_UPLOAD_PHASE_SENDING:
      {
        g_autofree char *sent = g_format_size (progress->bytes_sent);
        g_autofree char *total = g_format_size (progress->bytes_total);

        /* Translators: "1.2 MB of 3.4 MB sent" */
        status = g_strdup_printf (progress->phase == TTD_UPLOAD_PHASE_HOSTING
                                  ? _("%s of %s sent to the photo host")
                                  : _("%s of %s sent"), sent, total);
        ttd_upload_item_set_state (item, TTD_QUEUE_STATE_SENDING);
        ttd_upload_item_set_fraction (item, fraction);
        ttd_upload_item_set_status (item, status);
      }
      break;

    case TTD_UPLOAD_PHASE_STARTING:
      ttd_upload_item_set_status (item, _("Starting…"));
      break;

    case TTD_UPLOAD_PHASE_PROCESSING:
      ttd_upload_item_set_fraction (item, 1.0);
      ttd_upload_item_set_state (item, TTD_QUEUE_STATE_PROCESSING);
      ttd_upload_item_set_status (item, _("Processing on TikTok"));
      break;

    case TTD_UPLOAD_PHASE_DONE:
    default:
      break;
    }
}

/**
 * _ttd_draft_session_show_waiting:
 * @reason: why TikTok holds @item back
 * @next_try_at: when it is tried again (seconds since the epoch)
 *
 * Puts @item back in the queue, saying when the next try is and what the
 * user can do meanwhile.
 */
void
_ttd_draft_session_show_waiting (TtdUploadItem *item,
                                 TtdWaitReason  reason,
                                 gint64         next_try_at)
{
  g_autofree char *when = ttd_wait_format_time (next_try_at);
  g_autofree char *status = NULL;

  /* Translators: the first line of a queued item TikTok holds back; %s is a
     time of day such as 14:05. The second line says why, and what to do. */
  status = g_strdup_printf (_("Waiting for TikTok — next try at %s"), when);
  status = g_strconcat (g_steal_pointer (&status), "\n", ttd_wait_advice (reason), NULL);

  ttd_upload_item_set_state (item, TTD_QUEUE_STATE_QUEUED);
  ttd_upload_item_set_next_try_at (item, next_try_at);
  ttd_upload_item_set_status (item, status);
}

static gboolean
retry_cb (gpointer user_data)
{
  TtdDraftSession *self = user_data;
  GListModel *items = G_LIST_MODEL (self->items);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint n_due = 0;

  self->retry_id = 0;
  /* A send that runs, or the next sign-in, schedules it again. */
  if (self->sending || self->account == NULL)
    return G_SOURCE_REMOVE;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (items, i);
      gint64 next_try_at = ttd_upload_item_get_next_try_at (item);

      if (ttd_upload_item_get_state (item) == TTD_QUEUE_STATE_QUEUED && next_try_at > 0 &&
          next_try_at <= now && ttd_draft_session_can_send_item (self, item))
        {
          ttd_upload_item_set_state (item, TTD_QUEUE_STATE_WAITING);
          n_due++;
        }
    }

  if (n_due > 0)
    start_sending (self, TRUE);
  else
    _ttd_draft_session_schedule_retry (self);

  return G_SOURCE_REMOVE;
}

/**
 * _ttd_draft_session_schedule_retry:
 *
 * Sets the timer for the earliest next try of the items TikTok holds back.
 */
void
_ttd_draft_session_schedule_retry (TtdDraftSession *self)
{
  GListModel *items = G_LIST_MODEL (self->items);
  gint64 earliest = 0;

  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->items == NULL)
    return;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (items, i);
      gint64 next_try_at = ttd_upload_item_get_next_try_at (item);

      if (ttd_upload_item_get_state (item) == TTD_QUEUE_STATE_QUEUED && next_try_at > 0 &&
          (earliest == 0 || next_try_at < earliest))
        earliest = next_try_at;
    }

  if (earliest > 0)
    self->retry_id = g_timeout_add_seconds ((guint) CLAMP (earliest - g_get_real_time () / G_USEC_PER_SEC,
                                                           1, RETRY_CHECK_SECONDS),
                                            retry_cb, self);
}

static void
finish_sending (TtdDraftSession *self,
                gboolean         stopped)
{
  GListModel *items = G_LIST_MODEL (self->items);

  /* What was waiting for its turn goes back to the queue. */
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (items, i);

      if (ttd_upload_item_get_state (item) == TTD_QUEUE_STATE_WAITING)
        ttd_upload_item_set_state (item, TTD_QUEUE_STATE_QUEUED);
    }

  self->sending = FALSE;
  self->current = NULL;
  g_clear_object (&self->send_cancellable);
  _ttd_draft_session_notify_sending (self);
  _ttd_draft_session_schedule_retry (self);

  g_signal_emit (self, _ttd_draft_session_signals[SESSION_SIGNAL_SEND_FINISHED], 0,
                 self->n_sent, self->n_failed, stopped);
}

static void
upload_done (TtdDraftSession *self,
             TtdUploadItem   *item,
             TtdUploadResult *upload,
             GError          *error)
{
  gboolean stopped = FALSE;

  if (upload != NULL && upload->publish_id != NULL)
    ttd_upload_item_set_publish_id (item, upload->publish_id);

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* The queue keeps where it stopped: sending it again continues
           * the upload, or checks on the draft TikTok was processing,
           * without making a second one. */
          ttd_upload_item_set_state (item, TTD_QUEUE_STATE_QUEUED);
          stopped = TRUE;
        }
      else if (error->domain == TTD_WAIT_ERROR)
        /* Not failed: it goes by itself at its next try. */
        _ttd_draft_session_show_waiting (item, error->code, ttd_wait_error_get_next_try (error));
      else if (g_error_matches (error, TTD_ERROR, TTD_ERROR_DELIVERED))
        {
          /* Another window or the CLI delivered it meanwhile. */
          ttd_upload_item_set_fraction (item, 1.0);
          ttd_upload_item_set_state (item, TTD_QUEUE_STATE_DONE);
          ttd_upload_item_set_status (item, done_status ());
          self->n_sent++;
        }
      else
        {
          /* Core messages are sentences for the user already. */
          ttd_upload_item_fail (item, error->message);
          self->n_failed++;
        }
    }
  else if (ttd_upload_result_succeeded (upload))
    {
      ttd_upload_item_set_fraction (item, 1.0);
      ttd_upload_item_set_state (item, TTD_QUEUE_STATE_DONE);
      ttd_upload_item_set_status (item, done_status ());
      self->n_sent++;
    }
  else
    {
      g_autofree char *reason = ttd_error_describe_fail_reason (upload->fail_reason);

      ttd_upload_item_fail (item, reason);
      self->n_failed++;
    }

  if (item == self->current)
    self->current = NULL;

  if (stopped || self->send_cancellable == NULL || g_cancellable_is_cancelled (self->send_cancellable))
    finish_sending (self, TRUE);
  else
    send_next (self);
}

static void
send_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TtdDraftSession) self = NULL;
  g_autoptr(TtdUploadItem) item = user_data;
  g_autoptr(TtdUploadResult) upload = NULL;
  g_autoptr(GError) error = NULL;

  upload = ttd_account_send_queue_item_finish (TTD_ACCOUNT (object), result, &error);
  self = g_object_steal_data (G_OBJECT (item), "ttd-draft-session");
  if (self == NULL || self->items == NULL)
    return;

  upload_done (self, item, upload, error);
}

static TtdSlideshow *
build_slideshow (TtdUploadItem *item)
{
  g_autoptr(TtdSlideshow) slideshow = ttd_slideshow_new ();
  GListModel *images = G_LIST_MODEL (ttd_upload_item_get_images (item));
  const char *title = ttd_upload_item_get_title (item);
  const char *description = ttd_upload_item_get_description (item);

  for (guint i = 0; i < g_list_model_get_n_items (images); i++)
    {
      g_autoptr(TtdUploadItem) image = g_list_model_get_item (images, i);

      g_ptr_array_add (slideshow->images, g_object_ref (ttd_upload_item_get_file (image)));
    }

  slideshow->title = (title && *title) ? g_strdup (title) : NULL;
  slideshow->description = (description && *description) ? g_strdup (description) : NULL;
  slideshow->cover_index = ttd_upload_item_get_cover_index (item);

  return g_steal_pointer (&slideshow);
}

static void
start_item (TtdDraftSession *self,
            TtdUploadItem   *item)
{
  self->current = item;
  ttd_upload_item_set_state (item, TTD_QUEUE_STATE_SENDING);
  ttd_upload_item_set_status (item, _("Starting…"));
  /* The session rides along on the item so the callback can find it, and so
   * it stays alive until the upload has finished. */
  g_object_set_data_full (G_OBJECT (item), "ttd-draft-session", g_object_ref (self), g_object_unref);

  if (ttd_upload_item_get_kind (item) == TTD_UPLOAD_ITEM_SLIDESHOW)
    {
      g_autoptr(TtdSlideshow) slideshow = build_slideshow (item);
      g_autoptr(GError) error = NULL;

      if (!ttd_photo_host_check (ttd_account_get_config (self->account), &error) ||
          !ttd_slideshow_check (slideshow, &error))
        {
          g_object_set_data (G_OBJECT (item), "ttd-draft-session", NULL);
          upload_done (self, item, NULL, error);
          return;
        }
    }

  /* Recorded in the queue first, then sent; the sender keeps the queue up
   * to date from there, so a crash or quit loses nothing. The item goes to
   * the account it was first sent for, even after a switch. */
  {
    g_autoptr(TtdQueueItem) snapshot = NULL;
    g_autoptr(TtdAccount) account = NULL;
    g_autofree char *current = ttd_account_dup_open_id (self->account);
    const char *open_id;

    ttd_upload_item_set_open_id (item, current);
    open_id = ttd_upload_item_get_open_id (item);
    if (self->accounts != NULL && open_id != NULL && g_strcmp0 (open_id, current) != 0)
      account = ttd_accounts_get (self->accounts, open_id);
    else
      account = g_object_ref (self->account);

    snapshot = _ttd_draft_session_snapshot (item);
    ttd_account_send_queue_snapshot_async (account, self->queue, snapshot,
                                           TTD_UPLOAD_FLAGS_WAIT |
                                           (self->send_due_only ? TTD_UPLOAD_FLAGS_DUE_ONLY : 0),
                                           progress_cb, g_object_ref (item), g_object_unref,
                                           self->send_cancellable,
                                           send_done_cb, g_object_ref (item));
  }
}

static void
send_next (TtdDraftSession *self)
{
  GListModel *items = G_LIST_MODEL (self->items);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (items, i);

      if (ttd_upload_item_get_state (item) == TTD_QUEUE_STATE_WAITING)
        {
          /* Signed out meanwhile: the rest stays queued. */
          if (self->account == NULL)
            break;
          start_item (self, item);
          return;
        }
    }

  finish_sending (self, FALSE);
  /* Items restored while this send ran go next. */
  _ttd_draft_session_resume (self);
}

/* @due_only: a retry of the session's own, not one the user asked for */
static void
start_sending (TtdDraftSession *self,
               gboolean         due_only)
{
  self->sending = TRUE;
  self->send_due_only = due_only;
  self->n_sent = 0;
  self->n_failed = 0;
  g_clear_object (&self->send_cancellable);
  self->send_cancellable = g_cancellable_new ();
  _ttd_draft_session_notify_sending (self);
  send_next (self);
}

/**
 * ttd_draft_session_can_send_item:
 *
 * Returns: whether @item could go in the next send: it is complete, not
 *   sent or being sent, and a slideshow has a photo host to go through.
 */
gboolean
ttd_draft_session_can_send_item (TtdDraftSession *self,
                                 TtdUploadItem   *item)
{
  g_return_val_if_fail (TTD_IS_DRAFT_SESSION (self), FALSE);
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (item), FALSE);

  if (!ttd_upload_item_is_sendable (item))
    return FALSE;

  return ttd_upload_item_get_kind (item) != TTD_UPLOAD_ITEM_SLIDESHOW ||
         ttd_draft_session_photo_host_problem (self->account) == NULL;
}

/**
 * ttd_draft_session_send:
 *
 * Sends everything that can be sent, one item after another, with the
 * session's account.
 *
 * Returns: %TRUE when a send started; %FALSE when one is running already,
 *   no account is signed in or nothing can be sent
 */
gboolean
ttd_draft_session_send (TtdDraftSession *self)
{
  GListModel *items;
  guint n_waiting = 0;

  g_return_val_if_fail (TTD_IS_DRAFT_SESSION (self), FALSE);

  if (self->sending || self->account == NULL)
    return FALSE;

  items = G_LIST_MODEL (self->items);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (items, i);

      if (ttd_draft_session_can_send_item (self, item))
        {
          ttd_upload_item_set_state (item, TTD_QUEUE_STATE_WAITING);
          n_waiting++;
        }
    }

  if (n_waiting == 0)
    return FALSE;

  start_sending (self, FALSE);
  return TRUE;
}

/**
 * ttd_draft_session_stop:
 *
 * Cancels the item being sent; what is still waiting goes back to the queue.
 */
void
ttd_draft_session_stop (TtdDraftSession *self)
{
  g_return_if_fail (TTD_IS_DRAFT_SESSION (self));

  if (self->send_cancellable != NULL)
    g_cancellable_cancel (self->send_cancellable);
}

static gboolean
check_sendable (TtdDraftSession  *self,
                TtdUploadItem    *item,
                GError          **error)
{
  const char *problem;

  if (ttd_draft_session_can_send_item (self, item))
    return TRUE;

  problem = ttd_upload_item_get_problem (item);
  if (problem == NULL && ttd_upload_item_get_kind (item) == TTD_UPLOAD_ITEM_SLIDESHOW)
    problem = ttd_draft_session_photo_host_problem (self->account);
  g_set_error_literal (error, TTD_ERROR, TTD_ERROR_INVALID_FILE,
                       problem ? problem : _("This item cannot be sent as it is."));
  return FALSE;
}

/**
 * ttd_draft_session_send_items:
 * @items: (array length=n_items): videos and slideshows of the session
 *
 * Sends @items, and nothing else: they join the send that is running, or
 * start one of their own, as "Send to Drafts" does for everything.
 *
 * Returns: %FALSE, with @error saying why and nothing sent, when nobody is
 *   signed in or one of @items cannot be sent as it is
 */
gboolean
ttd_draft_session_send_items (TtdDraftSession  *self,
                              TtdUploadItem   **items,
                              guint             n_items,
                              GError          **error)
{
  g_return_val_if_fail (TTD_IS_DRAFT_SESSION (self), FALSE);
  g_return_val_if_fail (items != NULL || n_items == 0, FALSE);

  if (self->account == NULL)
    {
      g_set_error_literal (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED,
                           _("You are not signed in to TikTok. Sign in first."));
      return FALSE;
    }

  for (guint i = 0; i < n_items; i++)
    if (!check_sendable (self, items[i], error))
      return FALSE;

  for (guint i = 0; i < n_items; i++)
    ttd_upload_item_set_state (items[i], TTD_QUEUE_STATE_WAITING);
  if (n_items > 0 && !self->sending)
    start_sending (self, FALSE);

  return TRUE;
}

/**
 * ttd_draft_session_retry:
 *
 * Sends @item, which failed, again: it joins the send that is running, or
 * starts one of its own.
 *
 * Returns: %FALSE, with @error saying why, when @item cannot be sent as it is
 */
gboolean
ttd_draft_session_retry (TtdDraftSession  *self,
                         TtdUploadItem    *item,
                         GError          **error)
{
  g_return_val_if_fail (TTD_IS_DRAFT_SESSION (self), FALSE);
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (item), FALSE);

  /* Nothing to do: it is not the failed item it was, or nobody is signed in. */
  if (ttd_upload_item_get_state (item) != TTD_QUEUE_STATE_FAILED || self->account == NULL)
    return TRUE;

  return ttd_draft_session_send_items (self, &item, 1, error);
}

gboolean
ttd_draft_session_get_sending (TtdDraftSession *self)
{
  g_return_val_if_fail (TTD_IS_DRAFT_SESSION (self), FALSE);

  return self->sending;
}

/**
 * ttd_draft_session_get_current:
 *
 * Returns: (transfer none) (nullable): the item being sent
 */
TtdUploadItem *
ttd_draft_session_get_current (TtdDraftSession *self)
{
  g_return_val_if_fail (TTD_IS_DRAFT_SESSION (self), NULL);

  return self->current;
}
