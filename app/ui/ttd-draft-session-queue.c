/* ttd-draft-session-queue.c — the session's items kept in the queue on disk, and restored from it
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every top-level item (a video or a slideshow) carries the id of its queue
 * item. What the user sets up (files, order, title, description, cover) is
 * written to the queue shortly after each change, in a worker thread; what
 * happens while sending is written by the sender (ttd-sender.c), which owns
 * the item from the moment it is sent until it is delivered or stops.
 *
 * At start-up the queue is read back: everything not delivered, and not
 * being sent by another running TikTok Drafts (the CLI, say), comes back
 * as it was, and what was interrupted while sending continues as soon as
 * the account is signed in. The same queue is what `tiktok-drafts-cli
 * queue` lists and `resume` continues.
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "ttd-core.h"
#include "ttd-draft-session-private.h"

#define QUEUE_ID_KEY      "ttd-queue-id"
#define WATCHED_KEY       "ttd-queue-watched"
#define REMOVED_KEY       "ttd-queue-removed"
#define SAVE_DELAY_MS     300

/* ids */

static void
set_queue_id (TtdUploadItem *item,
              const char    *id)
{
  g_object_set_data_full (G_OBJECT (item), QUEUE_ID_KEY, g_strdup (id), g_free);
}

/**
 * _ttd_draft_session_item_id:
 *
 * Returns: the id of @item (a video or a slideshow) in the queue; made up
 *   the first time it is asked for.
 */
const char *
_ttd_draft_session_item_id (TtdUploadItem *item)
{
  const char *id = g_object_get_data (G_OBJECT (item), QUEUE_ID_KEY);

  if (id == NULL)
    {
      g_autofree char *token = ttd_random_token (12, NULL);

      if (token == NULL)
        token = g_strdup_printf ("%" G_GINT64_FORMAT "-%08x", g_get_real_time (), g_random_int ());
      set_queue_id (item, token);
      id = g_object_get_data (G_OBJECT (item), QUEUE_ID_KEY);
    }

  return id;
}

static char *
dup_path (GFile *file)
{
  char *path = g_file_get_path (file);

  return path ? path : g_file_get_uri (file);
}

static char *
dup_text (const char *text)
{
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

/**
 * _ttd_draft_session_snapshot:
 *
 * Returns: (transfer full): @item as the user set it up, for
 *   ttd_queue_upsert() and ttd_account_send_queue_snapshot_async().
 */
TtdQueueItem *
_ttd_draft_session_snapshot (TtdUploadItem *item)
{
  gboolean slideshow = ttd_upload_item_get_kind (item) == TTD_UPLOAD_ITEM_SLIDESHOW;
  TtdQueueItem *snapshot = ttd_queue_item_new (slideshow ? TTD_QUEUE_KIND_SLIDESHOW
                                                         : TTD_QUEUE_KIND_VIDEO);

  g_free (snapshot->id);
  snapshot->id = g_strdup (_ttd_draft_session_item_id (item));
  snapshot->open_id = g_strdup (ttd_upload_item_get_open_id (item));

  if (slideshow)
    {
      GListModel *images = G_LIST_MODEL (ttd_upload_item_get_images (item));
      guint n = g_list_model_get_n_items (images);

      snapshot->paths = g_new0 (char *, n + 1);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(TtdUploadItem) image = g_list_model_get_item (images, i);

          snapshot->paths[i] = dup_path (ttd_upload_item_get_file (image));
        }
      snapshot->title = dup_text (ttd_upload_item_get_title (item));
      snapshot->description = dup_text (ttd_upload_item_get_description (item));
      snapshot->cover_index = ttd_upload_item_get_cover_index (item);
    }
  else
    {
      snapshot->paths = g_new0 (char *, 2);
      snapshot->paths[0] = dup_path (ttd_upload_item_get_file (item));
    }

  /* Only used when the item is new to the queue; otherwise the queue keeps
   * the state and progress it has. */
  if (ttd_upload_item_get_state (item) == TTD_QUEUE_STATE_FAILED)
    {
      snapshot->state = TTD_QUEUE_STATE_FAILED;
      snapshot->error = g_strdup (ttd_upload_item_get_error (item));
    }

  return snapshot;
}

/* saving */

typedef struct
{
  TtdQueue     *queue;
  GPtrArray    *upserts;   /* TtdQueueItem */
  GPtrArray    *removes;   /* ids */
  GApplication *app;       /* held while saving, so quitting waits for it */
} Save;

static void
save_free (Save *save)
{
  g_clear_object (&save->queue);
  g_clear_pointer (&save->upserts, g_ptr_array_unref);
  g_clear_pointer (&save->removes, g_ptr_array_unref);
  if (save->app != NULL)
    g_application_release (save->app);
  g_clear_object (&save->app);
  g_free (save);
}

/* What to write: every item the user may still change (ready or failed;
 * the sender owns the others), and which ids to take off the queue. */
static Save *
build_save (TtdDraftSession *self)
{
  GListModel *items = G_LIST_MODEL (self->items);
  g_autoptr(GHashTable) current = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;
  Save *save = g_new0 (Save, 1);

  save->queue = g_object_ref (self->queue);
  save->upserts = g_ptr_array_new_with_free_func ((GDestroyNotify) ttd_queue_item_free);
  save->removes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (items, i);
      const char *id = _ttd_draft_session_item_id (item);

      g_hash_table_add (current, (gpointer) id);
      switch (ttd_upload_item_get_state (item))
        {
        case TTD_QUEUE_STATE_QUEUED:
        case TTD_QUEUE_STATE_FAILED:
          g_ptr_array_add (save->upserts, _ttd_draft_session_snapshot (item));
          g_hash_table_add (self->queue_known, g_strdup (id));
          g_object_set_data (G_OBJECT (item), REMOVED_KEY, NULL);
          break;

        case TTD_QUEUE_STATE_DONE:
          /* Delivered: the sender took it off the queue. A save that ran
           * while it was being sent may have put it back; this one runs
           * after that one. */
          if (g_object_get_data (G_OBJECT (item), REMOVED_KEY) == NULL)
            {
              g_ptr_array_add (save->removes, g_strdup (id));
              g_object_set_data (G_OBJECT (item), REMOVED_KEY, GINT_TO_POINTER (TRUE));
            }
          g_hash_table_remove (self->queue_known, id);
          break;

        case TTD_QUEUE_STATE_WAITING:
        case TTD_QUEUE_STATE_SENDING:
        case TTD_QUEUE_STATE_PROCESSING:
        default:
          break;
        }
    }

  /* Removed by the user. Only ids this session had: the CLI may have
   * queued others meanwhile. */
  g_hash_table_iter_init (&iter, self->queue_known);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (!g_hash_table_contains (current, key))
        {
          g_ptr_array_add (save->removes, g_strdup (key));
          g_hash_table_iter_remove (&iter);
        }
    }

  return save;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Save *save = task_data;
  GError *first_error = NULL;

  for (guint i = 0; i < save->upserts->len; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!ttd_queue_upsert (save->queue, g_ptr_array_index (save->upserts, i), &error) &&
          first_error == NULL)
        first_error = g_steal_pointer (&error);
    }

  for (guint i = 0; i < save->removes->len; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!ttd_queue_remove (save->queue, g_ptr_array_index (save->removes, i), &error) &&
          first_error == NULL)
        first_error = g_steal_pointer (&error);
    }

  if (first_error != NULL)
    g_task_return_error (task, first_error);
  else
    g_task_return_boolean (task, TRUE);
}

static void start_save (TtdDraftSession *self,
                        Save            *save);

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TtdDraftSession) self = user_data;
  g_autoptr(GError) error = NULL;

  self->queue_saving = FALSE;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_warning ("%s", error->message);
      if (self->items != NULL)
        _ttd_draft_session_message (self, error->message);
    }

  if (self->queue_final_save != NULL)
    {
      start_save (self, g_steal_pointer (&self->queue_final_save));
      return;
    }

  if (self->queue_save_again && self->items != NULL && self->queue != NULL)
    {
      self->queue_save_again = FALSE;
      start_save (self, build_save (self));
    }
}

/* Quitting waits for the save. */
static void
hold_application (TtdDraftSession *self,
                  Save            *save)
{
  GApplication *app = g_application_get_default ();

  if (app != NULL && save->app == NULL)
    {
      save->app = g_object_ref (app);
      g_application_hold (save->app);
    }
}

static void
start_save (TtdDraftSession *self,
            Save            *save)
{
  g_autoptr(GTask) task = NULL;

  hold_application (self, save);
  self->queue_saving = TRUE;
  /* Not cancellable: what the user queued is written even while the
   * session goes away. */
  task = g_task_new (NULL, NULL, save_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, start_save);
  g_task_set_task_data (task, save, (GDestroyNotify) save_free);
  g_task_run_in_thread (task, save_thread);
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  TtdDraftSession *self = user_data;

  self->queue_save_id = 0;
  if (self->queue_saving)
    self->queue_save_again = TRUE;
  else
    start_save (self, build_save (self));

  return G_SOURCE_REMOVE;
}

/**
 * _ttd_draft_session_queue_changed:
 *
 * Something the queue on disk records may have changed: saves shortly.
 */
void
_ttd_draft_session_queue_changed (TtdDraftSession *self)
{
  if (self->queue == NULL || self->items == NULL)
    return;

  g_clear_handle_id (&self->queue_save_id, g_source_remove);
  self->queue_save_id = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
}

/**
 * _ttd_draft_session_queue_watch:
 *
 * Called for each top-level item added to the session's list.
 */
void
_ttd_draft_session_queue_watch (TtdDraftSession *self,
                                TtdUploadItem   *item)
{
  static const char *signals[] = {
    "notify::state", "notify::title", "notify::description", "notify::cover-index",
  };

  if (self->queue_known != NULL)
    g_hash_table_add (self->queue_known, g_strdup (_ttd_draft_session_item_id (item)));

  /* Items move by being removed and inserted again. */
  if (g_object_get_data (G_OBJECT (item), WATCHED_KEY) != NULL)
    return;
  g_object_set_data (G_OBJECT (item), WATCHED_KEY, GINT_TO_POINTER (TRUE));

  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    g_signal_connect_object (item, signals[i], G_CALLBACK (_ttd_draft_session_queue_changed), self,
                             G_CONNECT_SWAPPED);
  if (ttd_upload_item_get_kind (item) == TTD_UPLOAD_ITEM_SLIDESHOW)
    g_signal_connect_object (ttd_upload_item_get_images (item), "items-changed",
                             G_CALLBACK (_ttd_draft_session_queue_changed), self, G_CONNECT_SWAPPED);
}

/* restoring */

typedef struct
{
  TtdQueueItem *item;
  gint64       *sizes;        /* one per path; 0 when it could not be read */
  char         *problem;      /* why it cannot be sent as it is */
} Restored;

static void
restored_free (Restored *restored)
{
  ttd_queue_item_free (restored->item);
  g_free (restored->sizes);
  g_free (restored->problem);
  g_free (restored);
}

static void
restore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  TtdQueue *queue = task_data;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) restored = g_ptr_array_new_with_free_func ((GDestroyNotify) restored_free);
  GError *error = NULL;

  items = ttd_queue_list (queue, &error);
  if (items == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < items->len; i++)
    {
      TtdQueueItem *item = g_ptr_array_index (items, i);
      Restored *r;
      g_autoptr(GPtrArray) missing = NULL;
      guint n_paths = item->paths ? g_strv_length (item->paths) : 0;

      if (!ttd_queue_item_is_pending (item) || n_paths == 0 || ttd_queue_item_is_claimed_elsewhere (item))
        continue;

      r = g_new0 (Restored, 1);
      r->item = ttd_queue_item_copy (item);
      r->sizes = g_new0 (gint64, n_paths);
      missing = g_ptr_array_new_with_free_func (g_free);

      for (guint j = 0; j < n_paths; j++)
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (item->paths[j]);
          g_autoptr(GFileInfo) info = NULL;

          info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                    G_FILE_QUERY_INFO_NONE, cancellable, NULL);
          if (info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR)
            r->sizes[j] = g_file_info_get_size (info);
          else
            g_ptr_array_add (missing, ttd_media_dup_display_name (file));
        }

      if (missing->len > 0 && item->kind == TTD_QUEUE_KIND_VIDEO)
        r->problem = g_strdup_printf (_("“%s” is no longer there; it may have been moved, renamed or deleted. "
                                        "Remove it, or put the file back and try again."),
                                      (char *) g_ptr_array_index (missing, 0));
      else if (missing->len > 0)
        {
          g_autofree char *names = NULL;

          g_ptr_array_add (missing, NULL);
          /* Translators: the separator between file names in a list */
          names = g_strjoinv (_(", "), (char **) missing->pdata);
          r->problem = g_strdup_printf (ngettext ("A photo of this slideshow is no longer there: %s. "
                                                  "Remove it, or put the file back and try again.",
                                                  "Some photos of this slideshow are no longer there: %s. "
                                                  "Remove them, or put the files back and try again.",
                                                  missing->len - 1), names);
        }

      g_ptr_array_add (restored, r);
    }

  g_task_return_pointer (task, g_steal_pointer (&restored), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * ttd_draft_session_get_item_id:
 * @item: a video or a slideshow of the session
 *
 * Returns: its id in the queue on disk, the one `tiktok-drafts-cli queue`
 *   lists and the D-Bus API names items by
 */
const char *
ttd_draft_session_get_item_id (TtdUploadItem *item)
{
  g_return_val_if_fail (TTD_IS_UPLOAD_ITEM (item), NULL);

  return _ttd_draft_session_item_id (item);
}

/**
 * ttd_draft_session_find_item:
 * @id: a queue id
 *
 * Returns: (transfer none) (nullable): the video or slideshow with @id
 */
TtdUploadItem *
ttd_draft_session_find_item (TtdDraftSession *self,
                             const char      *id)
{
  GListModel *items;

  g_return_val_if_fail (TTD_IS_DRAFT_SESSION (self), NULL);

  items = G_LIST_MODEL (self->items);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (items, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (item), QUEUE_ID_KEY), id) == 0)
        return item;
    }

  return NULL;
}

/* A video opened with the app may have come in before the queue was read;
 * it becomes the queued item, so it is not there twice. */
static TtdUploadItem *
find_unsent_video (TtdDraftSession *self,
                   GFile           *file)
{
  GListModel *items = G_LIST_MODEL (self->items);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (items, i);

      if (ttd_upload_item_get_kind (item) == TTD_UPLOAD_ITEM_VIDEO &&
          (ttd_upload_item_get_state (item) == TTD_QUEUE_STATE_QUEUED ||
           ttd_upload_item_get_state (item) == TTD_QUEUE_STATE_FAILED) &&
          g_file_equal (ttd_upload_item_get_file (item), file))
        return item;
    }

  return NULL;
}

static TtdUploadItem *
restore_video (TtdDraftSession *self,
               Restored        *r)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (r->item->paths[0]);
  TtdUploadItem *item = find_unsent_video (self, file);

  if (item != NULL)
    {
      /* Its own id stays known, so the next save takes it off the queue. */
      set_queue_id (item, r->item->id);
      g_hash_table_add (self->queue_known, g_strdup (r->item->id));
      return item;
    }

  item = _ttd_draft_session_add_video (self, file, r->sizes[0]);
  /* The id it was given on the way in was never written anywhere. */
  g_hash_table_remove (self->queue_known, _ttd_draft_session_item_id (item));
  set_queue_id (item, r->item->id);
  g_hash_table_add (self->queue_known, g_strdup (r->item->id));

  return item;
}

static TtdUploadItem *
restore_slideshow (TtdDraftSession *self,
                   Restored        *r)
{
  g_autoptr(TtdUploadItem) slideshow = ttd_upload_item_new_slideshow ();
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func (g_object_unref);

  set_queue_id (slideshow, r->item->id);
  ttd_upload_item_set_title (slideshow, r->item->title);
  ttd_upload_item_set_description (slideshow, r->item->description);
  g_list_store_append (self->items, slideshow);

  for (guint i = 0; r->item->paths[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (r->item->paths[i]);

      g_ptr_array_add (images, _ttd_draft_session_new_image (self, file, r->sizes[i]));
    }
  g_list_store_splice (ttd_upload_item_get_images (slideshow), 0, 0, images->pdata, images->len);
  ttd_upload_item_set_cover_index (slideshow, r->item->cover_index);

  return slideshow;
}

static void
restore_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TtdDraftSession *self = TTD_DRAFT_SESSION (object);
  g_autoptr(GPtrArray) restored = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) problems = NULL;
  gboolean interrupted = FALSE;

  restored = g_task_propagate_pointer (G_TASK (result), &error);
  if (restored == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->items != NULL)
        _ttd_draft_session_message (self, error->message);
      return;
    }

  if (self->items == NULL)
    return;

  problems = ttd_queue_take_problems (self->queue);
  for (guint i = 0; problems != NULL && problems[i] != NULL; i++)
    _ttd_draft_session_message (self, problems[i]);

  for (guint i = 0; i < restored->len; i++)
    {
      Restored *r = g_ptr_array_index (restored, i);
      TtdUploadItem *item;

      if (ttd_draft_session_find_item (self, r->item->id) != NULL)
        continue;

      if (r->item->kind == TTD_QUEUE_KIND_SLIDESHOW)
        item = restore_slideshow (self, r);
      else
        item = restore_video (self, r);
      ttd_upload_item_set_open_id (item, r->item->open_id);

      if (r->problem != NULL)
        ttd_upload_item_fail (item, r->problem);
      else if (r->item->state == TTD_QUEUE_STATE_FAILED)
        ttd_upload_item_fail (item, r->item->error ? r->item->error
                                                   : _("This item could not be sent. Try again."));
      else if (r->item->state == TTD_QUEUE_STATE_SENDING ||
               r->item->state == TTD_QUEUE_STATE_PROCESSING)
        interrupted = TRUE;
      else if (ttd_queue_item_is_waiting (r->item))
        _ttd_draft_session_show_waiting (item, r->item->wait_reason, r->item->next_try_at);
    }

  if (restored->len > 0)
    g_debug ("Restored %u item(s) from %s", restored->len, ttd_queue_get_path (self->queue));

  self->resume_pending |= interrupted;
  _ttd_draft_session_resume (self);
}

/**
 * _ttd_draft_session_resume:
 *
 * Continues what was interrupted, once that is possible: signed in and not
 * sending already.
 */
void
_ttd_draft_session_resume (TtdDraftSession *self)
{
  /* What TikTok held back goes at its next try, signed in. */
  if (self->items != NULL && self->account != NULL && !self->sending)
    _ttd_draft_session_schedule_retry (self);

  if (!self->resume_pending || self->items == NULL || self->account == NULL || self->sending)
    return;

  self->resume_pending = FALSE;
  ttd_draft_session_send (self);
}

void
_ttd_draft_session_queue_init (TtdDraftSession *self)
{
  self->queue_known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * ttd_draft_session_restore:
 *
 * Reads the queue on disk, in a thread, and brings back everything not
 * delivered yet; what was interrupted while sending continues once an
 * account is set.
 */
void
ttd_draft_session_restore (TtdDraftSession *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TTD_IS_DRAFT_SESSION (self));

  task = g_task_new (self, self->cancellable, restore_done_cb, NULL);
  g_task_set_source_tag (task, ttd_draft_session_restore);
  g_task_set_task_data (task, g_object_ref (self->queue), g_object_unref);
  g_task_run_in_thread (task, restore_thread);
}

/**
 * ttd_draft_session_save_now:
 *
 * Writes what changed in the last moments now instead of shortly, for when
 * a window closes. Quitting waits for it.
 */
void
ttd_draft_session_save_now (TtdDraftSession *self)
{
  g_return_if_fail (TTD_IS_DRAFT_SESSION (self));

  if (self->queue == NULL || self->items == NULL ||
      (self->queue_save_id == 0 && !self->queue_save_again))
    return;

  {
    Save *save = build_save (self);

    hold_application (self, save);
    g_clear_handle_id (&self->queue_save_id, g_source_remove);
    self->queue_save_again = FALSE;
    if (self->queue_saving)
      {
        g_clear_pointer (&self->queue_final_save, save_free);
        self->queue_final_save = save;
      }
    else
      start_save (self, save);
  }
}

/* Before the list goes: what changed in the last moments is still written. */
void
_ttd_draft_session_queue_dispose (TtdDraftSession *self)
{
  ttd_draft_session_save_now (self);
  g_clear_handle_id (&self->queue_save_id, g_source_remove);
  g_clear_pointer (&self->queue_known, g_hash_table_unref);
}
