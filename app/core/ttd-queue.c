/* ttd-queue.c
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ttd-error.h"
#include "ttd-json.h"
#include "ttd-process.h"
#include "ttd-queue-private.h"

/* $XDG_DATA_HOME/tiktok-drafts/queue.json (mode 0600), rewritten
 * atomically after every change. Every read-modify-write holds an flock on
 * queue.lock beside it, so the app and the CLI (or two of either) never
 * lose each other's changes; an item being sent carries its owner's pid
 * and start time, so two instances never send the same item. An item that
 * cannot be read (ttd-queue-item.c) is left out on its own, with a message,
 * and the file as it was is kept aside.
 *
 * Delivered items leave the file, but their ids stay a while in its
 * "delivered" list: a front end that still shows such an item (another
 * process delivered it) cannot queue it again by saving it, and sending it
 * says it is in the inbox instead of making a second draft. */

#define FORMAT_VERSION 1
#define QUEUE_MAX_SIZE (16 * 1024 * 1024)   /* thousands of items */
#define DELIVERED_KEEP_SECONDS (30 * 24 * 3600)
#define DELIVERED_KEEP_MAX     1000

typedef struct
{
  char   *id;
  gint64  at;
} Delivered;

struct _TtdQueue
{
  GObject  parent_instance;
  char    *path;
  char    *lock_path;
  GMutex   mutex;
  GPtrArray *problems;   /* sentences for the user, from loading */
  GPtrArray *delivered;  /* Delivered, oldest first; as last loaded, under the lock */
};

G_DEFINE_FINAL_TYPE (TtdQueue, ttd_queue, G_TYPE_OBJECT)

static void
delivered_free (gpointer data)
{
  Delivered *delivered = data;

  g_free (delivered->id);
  g_free (delivered);
}

static void
ttd_queue_finalize (GObject *object)
{
  TtdQueue *self = TTD_QUEUE (object);

  g_free (self->path);
  g_free (self->lock_path);
  g_ptr_array_unref (self->problems);
  g_ptr_array_unref (self->delivered);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (ttd_queue_parent_class)->finalize (object);
}

static void
ttd_queue_class_init (TtdQueueClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ttd_queue_finalize;
}

static void
ttd_queue_init (TtdQueue *self)
{
  g_mutex_init (&self->mutex);
  self->problems = g_ptr_array_new_with_free_func (g_free);
  self->delivered = g_ptr_array_new_with_free_func (delivered_free);
}

/**
 * ttd_queue_new:
 * @path: (nullable): the queue file, or %NULL for the user's
 */
TtdQueue *
ttd_queue_new (const char *path)
{
  TtdQueue *self = g_object_new (TTD_TYPE_QUEUE, NULL);

  self->path = path ? g_strdup (path)
                    : g_build_filename (g_get_user_data_dir (), "tiktok-drafts", "queue.json", NULL);
  self->lock_path = g_strconcat (self->path, ".lock", NULL);

  return self;
}

const char *
ttd_queue_get_path (TtdQueue *self)
{
  return self->path;
}

/**
 * ttd_queue_take_problems:
 *
 * What went wrong while reading the queue file since the last call: items
 * that had to be left out, a file that had to be set aside. Front ends show
 * these sentences to the user.
 *
 * Returns: (transfer full) (nullable): the sentences, or %NULL if none
 */
GStrv
ttd_queue_take_problems (TtdQueue *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  GStrv problems;

  if (self->problems->len == 0)
    return NULL;

  g_ptr_array_add (self->problems, NULL);
  problems = (GStrv) g_ptr_array_free (self->problems, FALSE);
  self->problems = g_ptr_array_new_with_free_func (g_free);

  return problems;
}

/* Called with the mutex held. */
static void G_GNUC_PRINTF (2, 3)
add_problem (TtdQueue   *self,
             const char *format,
             ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_warning ("%s", message);
  g_ptr_array_add (self->problems, message);
}

/* Holds both the in-process mutex and the cross-process flock. */
static int
lock_queue (TtdQueue  *self,
            GError   **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  int fd;

  g_mutex_lock (&self->mutex);
  g_mkdir_with_parents (dir, 0700);

  fd = g_open (self->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 || flock (fd, LOCK_EX) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      g_mutex_unlock (&self->mutex);
      g_set_error (error, TTD_ERROR, TTD_ERROR_FAILED,
                   _("The upload queue in %s could not be opened (%s)."), dir, g_strerror (saved_errno));
      return -1;
    }

  return fd;
}

static void
unlock_queue (TtdQueue *self,
              int       fd)
{
  flock (fd, LOCK_UN);
  close (fd);
  g_mutex_unlock (&self->mutex);
}

static gboolean save_locked (TtdQueue   *self,
                             GPtrArray  *items,
                             GError    **error);

static gint
find_index (GPtrArray  *items,
            const char *id)
{
  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (((TtdQueueItem *) g_ptr_array_index (items, i))->id, id) == 0)
      return i;

  return -1;
}

/* Keeps the file as it was beside the queue, for the user. */
static char *
keep_aside (TtdQueue   *self,
            const char *text,
            gsize       length)
{
  g_autofree char *aside = g_strconcat (self->path, ".damaged", NULL);
  g_autoptr(GError) error = NULL;

  if (text != NULL
      ? !g_file_set_contents_full (aside, text, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error)
      : g_rename (self->path, aside) != 0)
    g_warning ("The upload queue could not be kept as %s: %s", aside,
               error ? error->message : g_strerror (errno));

  return g_steal_pointer (&aside);
}

static guint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (guint64) st.st_size : 0;
}

/* What is not a {"id": text, "at": number} is left out: it only ever
 * guards against sending twice. */
static void
load_delivered (TtdQueue *self,
                JsonNode *node)
{
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      JsonNode *id = object ? json_object_get_member (object, "id") : NULL;
      JsonNode *at = object ? json_object_get_member (object, "at") : NULL;
      Delivered *delivered;

      if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_STRING ||
          at == NULL || !JSON_NODE_HOLDS_VALUE (at) || json_node_get_value_type (at) != G_TYPE_INT64)
        continue;

      delivered = g_new0 (Delivered, 1);
      delivered->id = g_strdup (json_node_get_string (id));
      delivered->at = json_node_get_int (at);
      g_ptr_array_add (self->delivered, delivered);
    }
}

static gboolean
was_delivered (TtdQueue   *self,
               const char *id)
{
  for (guint i = 0; id != NULL && i < self->delivered->len; i++)
    if (g_str_equal (((Delivered *) g_ptr_array_index (self->delivered, i))->id, id))
      return TRUE;

  return FALSE;
}

static GPtrArray *
load_locked (TtdQueue *self)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) ttd_queue_item_free);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *repaired = NULL;
  JsonNode *array_node;
  JsonArray *array;
  gsize length = 0;
  guint dropped = 0;

  g_ptr_array_set_size (self->delivered, 0);
  if (!g_file_test (self->path, G_FILE_TEST_EXISTS))
    return items;

  /* Earlier versions wrote file names as they were, UTF-8 or not: such a
   * file is repaired into UTF-8, and only the items it broke are lost. A file
   * too big or too deeply nested for the parser is not parsed at all. */
  if (file_size (self->path) <= QUEUE_MAX_SIZE &&
      g_file_get_contents (self->path, &text, &length, NULL) && !g_utf8_validate_len (text, length, NULL))
    repaired = g_utf8_make_valid (text, length);

  if (text != NULL)
    root = ttd_json_parse_bounded (repaired ? repaired : text, repaired ? strlen (repaired) : length,
                                   QUEUE_MAX_SIZE, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (array_node = json_object_get_member (json_node_get_object (root), "items")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (array_node))
    {
      /* Never silently drop a damaged queue: keep it aside for the user. */
      g_autofree char *aside = keep_aside (self, NULL, 0);

      add_problem (self, _("The upload queue could not be read and was set aside as %s."), aside);
      return items;
    }

  load_delivered (self, json_object_get_member (json_node_get_object (root), "delivered"));

  array = json_node_get_array (array_node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      const char *reason = _("it is not a queue item");
      TtdQueueItem *item = JSON_NODE_HOLDS_OBJECT (node)
                           ? _ttd_queue_item_from_json (json_node_get_object (node), repaired != NULL, &reason) : NULL;

      if (item == NULL)
        {
          /* Translators: the %s says why, such as “its list of files is missing or not valid” */
          add_problem (self, _("An item of the upload queue was left out because %s."), reason);
          dropped++;
        }
      else if (find_index (items, item->id) >= 0)
        ttd_queue_item_free (item);
      else
        g_ptr_array_add (items, item);
    }

  if (dropped > 0)
    {
      /* The rest is saved at once, so this is said once. */
      g_autofree char *aside = keep_aside (self, text, length);
      g_autoptr(GError) error = NULL;

      add_problem (self, _("The upload queue as it was is kept in %s."), aside);
      if (!save_locked (self, items, &error))
        g_warning ("%s", error->message);
    }

  return items;
}

/* The newest DELIVERED_KEEP_MAX of the last DELIVERED_KEEP_SECONDS. */
static void
save_delivered (TtdQueue    *self,
                JsonBuilder *builder)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint first = self->delivered->len > DELIVERED_KEEP_MAX ? self->delivered->len - DELIVERED_KEEP_MAX : 0;

  json_builder_set_member_name (builder, "delivered");
  json_builder_begin_array (builder);
  for (guint i = first; i < self->delivered->len; i++)
    {
      Delivered *delivered = g_ptr_array_index (self->delivered, i);

      if (now - delivered->at > DELIVERED_KEEP_SECONDS)
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, delivered->id);
      json_builder_set_member_name (builder, "at");
      json_builder_add_int_value (builder, delivered->at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static gboolean
save_locked (TtdQueue   *self,
             GPtrArray  *items,
             GError    **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FORMAT_VERSION);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    _ttd_queue_item_to_json (builder, g_ptr_array_index (items, i));
  json_builder_end_array (builder);
  save_delivered (self, builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);

  /* write to a temporary file, fsync, rename: a crash leaves the old or
   * the new queue, never half of one */
  if (!g_file_set_contents_full (self->path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &local_error))
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_FAILED,
                   _("The upload queue could not be saved (%s). Check that your home folder has free space."),
                   local_error->message);
      return FALSE;
    }

  return TRUE;
}

/**
 * ttd_queue_list:
 *
 * Returns: (transfer full) (element-type TtdQueueItem): every item, oldest first.
 */
GPtrArray *
ttd_queue_list (TtdQueue  *self,
                GError   **error)
{
  GPtrArray *items;
  int fd = lock_queue (self, error);

  if (fd < 0)
    return NULL;

  items = load_locked (self);
  unlock_queue (self, fd);

  return items;
}

TtdQueueItem *
ttd_queue_lookup (TtdQueue    *self,
                  const char  *id,
                  GError     **error)
{
  g_autoptr(GPtrArray) items = ttd_queue_list (self, error);
  gint index;

  if (items == NULL)
    return NULL;

  index = find_index (items, id);
  if (index < 0)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_FAILED, _("This item is no longer in the upload queue."));
      return NULL;
    }

  return ttd_queue_item_copy (g_ptr_array_index (items, index));
}

/**
 * ttd_queue_item_is_claimed_elsewhere:
 *
 * A claim holds while the process that made it runs: the same pid with
 * the same start time. A pid alone would let a later process given that
 * pid (or a file naming pid 1) hold the item for ever.
 *
 * Returns: whether another running process is sending @self now
 */
gboolean
ttd_queue_item_is_claimed_elsewhere (const TtdQueueItem *self)
{
  return self->owner_pid != getpid () && ttd_process_is_running (self->owner_pid, self->owner_start_time);
}

/**
 * ttd_queue_find_video:
 *
 * Finds an unfinished video item for the same, unchanged file: sending it
 * again continues that upload instead of making a second draft.
 */
TtdQueueItem *
ttd_queue_find_video (TtdQueue    *self,
                      GFile       *file,
                      const char  *open_id,
                      GError     **error)
{
  g_autoptr(GPtrArray) items = ttd_queue_list (self, error);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GFileInfo) info = NULL;

  if (items == NULL || path == NULL)
    return NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_TIME_MODIFIED,
                            G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info == NULL)
    return NULL;

  for (guint i = 0; i < items->len; i++)
    {
      TtdQueueItem *item = g_ptr_array_index (items, i);

      if (item->kind == TTD_QUEUE_KIND_VIDEO && item->state != TTD_QUEUE_STATE_DONE &&
          g_strcmp0 (item->open_id, open_id) == 0 &&
          item->paths != NULL && g_strcmp0 (item->paths[0], path) == 0 &&
          (item->file_size == 0 ||
           (item->file_size == g_file_info_get_size (info) &&
            item->file_mtime == (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED))))
        return ttd_queue_item_copy (item);
    }

  return NULL;
}

/* Every change is one transaction: lock, load, edit, save if edited,
 * unlock. @edit gets the index of @id (-1 if absent) and says whether it
 * changed anything. */
typedef gboolean (*EditFunc) (TtdQueue      *self,
                              GPtrArray     *items,
                              gint           index,
                              gconstpointer  data,
                              gboolean      *changed,
                              GError       **error);

static gboolean
edit_queue (TtdQueue       *self,
            const char     *id,
            EditFunc        edit,
            gconstpointer   data,
            GError        **error)
{
  g_autoptr(GPtrArray) items = NULL;
  gboolean changed = FALSE;
  gboolean ok;
  int fd = lock_queue (self, error);

  if (fd < 0)
    return FALSE;

  items = load_locked (self);
  ok = edit (self, items, find_index (items, id), data, &changed, error);
  if (ok && changed)
    ok = save_locked (self, items, error);
  unlock_queue (self, fd);

  return ok;
}

static gboolean
put_edit (TtdQueue      *self,
          GPtrArray     *items,
          gint           index,
          gconstpointer  data,
          gboolean      *changed,
          GError       **error)
{
  TtdQueueItem *item;

  /* Delivered already (by another process, say): never queued again. */
  if (index < 0 && was_delivered (self, ((const TtdQueueItem *) data)->id))
    {
      g_debug ("Not queueing %s again: it was delivered", ((const TtdQueueItem *) data)->id);
      return TRUE;
    }

  item = ttd_queue_item_copy (data);
  item->updated_at = g_get_real_time () / G_USEC_PER_SEC;
  if (index >= 0)
    {
      TtdQueueItem *current = g_ptr_array_index (items, index);

      /* Keep the claim of whoever holds the item. */
      if (item->owner_pid == 0 && ttd_queue_item_is_claimed_elsewhere (current))
        {
          item->owner_pid = current->owner_pid;
          item->owner_start_time = current->owner_start_time;
        }
      ttd_queue_item_free (current);
      g_ptr_array_index (items, index) = item;
    }
  else
    g_ptr_array_add (items, item);

  *changed = TRUE;
  return TRUE;
}

/**
 * ttd_queue_put:
 *
 * Adds @item, or replaces the item with the same id, and saves at once.
 */
gboolean
ttd_queue_put (TtdQueue      *self,
               TtdQueueItem  *item,
               GError       **error)
{
  item->updated_at = g_get_real_time () / G_USEC_PER_SEC;
  return edit_queue (self, item->id, put_edit, item, error);
}

static gboolean
upsert_edit (TtdQueue      *self,
             GPtrArray     *items,
             gint           index,
             gconstpointer  data,
             gboolean      *changed,
             GError       **error)
{
  const TtdQueueItem *item = data;
  TtdQueueItem *current;
  gboolean same_files;

  if (index < 0)
    return put_edit (self, items, index, data, changed, error);

  current = g_ptr_array_index (items, index);
  same_files = g_strv_equal ((const char * const *) current->paths, (const char * const *) item->paths);

  g_strfreev (current->paths);
  current->paths = g_strdupv (item->paths);
  g_free (current->title);
  current->title = g_strdup (item->title);
  g_free (current->description);
  current->description = g_strdup (item->description);
  current->cover_index = item->cover_index;
  /* The account is set once, when the item is first sent, and kept. */
  if (current->open_id == NULL)
    current->open_id = g_strdup (item->open_id);
  current->updated_at = g_get_real_time () / G_USEC_PER_SEC;

  /* Other photos: what was sent before belongs to something else. */
  if (!same_files && current->kind == TTD_QUEUE_KIND_SLIDESHOW &&
      current->state != TTD_QUEUE_STATE_PROCESSING)
    {
      g_clear_pointer (&current->publish_id, g_free);
      current->state = TTD_QUEUE_STATE_QUEUED;
    }

  *changed = TRUE;
  return TRUE;
}

/**
 * ttd_queue_upsert:
 *
 * Records what the user chose for @item (files, order, title, description,
 * cover), keeping the upload progress already recorded for it; adds it if
 * it is new. For front ends that edit items before they are sent.
 */
gboolean
ttd_queue_upsert (TtdQueue            *self,
                  const TtdQueueItem  *item,
                  GError             **error)
{
  return edit_queue (self, item->id, upsert_edit, item, error);
}

static gboolean
remove_edit (TtdQueue      *self,
             GPtrArray     *items,
             gint           index,
             gconstpointer  data,
             gboolean      *changed,
             GError       **error)
{
  if (index >= 0)
    {
      g_ptr_array_remove_index (items, index);
      *changed = TRUE;
    }

  return TRUE;
}

gboolean
ttd_queue_remove (TtdQueue    *self,
                  const char  *id,
                  GError     **error)
{
  return edit_queue (self, id, remove_edit, NULL, error);
}

static gboolean
delivered_edit (TtdQueue      *self,
                GPtrArray     *items,
                gint           index,
                gconstpointer  data,
                gboolean      *changed,
                GError       **error)
{
  Delivered *delivered;

  remove_edit (self, items, index, data, changed, error);
  if (was_delivered (self, data))
    return TRUE;

  delivered = g_new0 (Delivered, 1);
  delivered->id = g_strdup (data);
  delivered->at = g_get_real_time () / G_USEC_PER_SEC;
  g_ptr_array_add (self->delivered, delivered);
  *changed = TRUE;
  return TRUE;
}

/**
 * ttd_queue_mark_delivered:
 *
 * Takes the item off the queue because it is in the inbox, and remembers
 * that for a while: it cannot be queued or claimed again (see
 * %TTD_ERROR_DELIVERED), so a stale copy elsewhere makes no second draft.
 */
gboolean
ttd_queue_mark_delivered (TtdQueue    *self,
                          const char  *id,
                          GError     **error)
{
  return edit_queue (self, id, delivered_edit, id, error);
}

static gboolean
claim_edit (TtdQueue      *self,
            GPtrArray     *items,
            gint           index,
            gconstpointer  data,
            gboolean      *changed,
            GError       **error)
{
  TtdQueueItem *item;

  if (index < 0 && was_delivered (self, data))
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_DELIVERED,
                   _("This item is already in your TikTok inbox; open TikTok to finish the post."));
      return FALSE;
    }
  if (index < 0)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_FAILED, _("This item is no longer in the upload queue."));
      return FALSE;
    }

  item = g_ptr_array_index (items, index);
  if (ttd_queue_item_is_claimed_elsewhere (item))
    {
      g_autofree char *name = item->paths && item->paths[0]
                              ? g_filename_display_basename (item->paths[0]) : g_strdup ("?");

      g_set_error (error, TTD_ERROR, TTD_ERROR_FAILED,
                   _("“%s” is already being sent by another TikTok Drafts window or command (process %" PRId64 ")."),
                   name, item->owner_pid);
      return FALSE;
    }

  item->owner_pid = getpid ();
  item->owner_start_time = ttd_process_own_start_time ();
  *changed = TRUE;
  return TRUE;
}

/**
 * ttd_queue_claim:
 *
 * Marks the item as being sent by this process, unless another living
 * process already is sending it.
 */
gboolean
ttd_queue_claim (TtdQueue    *self,
                 const char  *id,
                 GError     **error)
{
  return edit_queue (self, id, claim_edit, id, error);
}

static gboolean
release_edit (TtdQueue      *self,
              GPtrArray     *items,
              gint           index,
              gconstpointer  data,
              gboolean      *changed,
              GError       **error)
{
  TtdQueueItem *item = index >= 0 ? g_ptr_array_index (items, index) : NULL;

  if (item != NULL && item->owner_pid == getpid ())
    {
      item->owner_pid = 0;
      item->owner_start_time = 0;
      *changed = TRUE;
    }

  return TRUE;
}

gboolean
ttd_queue_release (TtdQueue    *self,
                   const char  *id,
                   GError     **error)
{
  return edit_queue (self, id, release_edit, NULL, error);
}
