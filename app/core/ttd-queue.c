/* ttd-queue.c
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ttd-error.h"
#include "ttd-media.h"
#include "ttd-queue.h"
#include "ttd-secure.h"

/* $XDG_DATA_HOME/tiktok-drafts/queue.json (mode 0600), rewritten
 * atomically after every change. Every read-modify-write holds an flock on
 * queue.lock beside it, so the app and the CLI (or two of either) never
 * lose each other's changes; an item being sent carries its owner's pid,
 * so two instances never send the same item. */

#define FORMAT_VERSION 1

struct _TtdQueue
{
  GObject  parent_instance;
  char    *path;
  char    *lock_path;
  GMutex   mutex;
};

G_DEFINE_FINAL_TYPE (TtdQueue, ttd_queue, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (TtdQueueItem, ttd_queue_item, ttd_queue_item_copy, ttd_queue_item_free)

static const char *state_names[] = { "queued", "sending", "processing", "done", "failed" };
static const char *kind_names[] = { "video", "slideshow" };

const char *
ttd_queue_state_to_string (TtdQueueState state)
{
  return state < G_N_ELEMENTS (state_names) ? state_names[state] : "queued";
}

TtdQueueItem *
ttd_queue_item_new (TtdQueueKind kind)
{
  TtdQueueItem *self = g_new0 (TtdQueueItem, 1);
  g_autofree char *token = ttd_random_token (12, NULL);

  self->id = token ? g_strdup (token) : g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time ());
  self->kind = kind;
  self->created_at = self->updated_at = g_get_real_time () / G_USEC_PER_SEC;

  return self;
}

TtdQueueItem *
ttd_queue_item_copy (const TtdQueueItem *self)
{
  TtdQueueItem *copy = g_memdup2 (self, sizeof *self);

  copy->id = g_strdup (self->id);
  copy->paths = g_strdupv (self->paths);
  copy->title = g_strdup (self->title);
  copy->description = g_strdup (self->description);
  copy->publish_id = g_strdup (self->publish_id);
  copy->upload_url = g_strdup (self->upload_url);
  copy->status = g_strdup (self->status);
  copy->error = g_strdup (self->error);

  return copy;
}

void
ttd_queue_item_free (TtdQueueItem *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_strfreev (self->paths);
  g_free (self->title);
  g_free (self->description);
  g_free (self->publish_id);
  ttd_secure_free (self->upload_url);
  g_free (self->status);
  g_free (self->error);
  g_free (self);
}

gboolean
ttd_queue_item_is_pending (const TtdQueueItem *self)
{
  return self->state != TTD_QUEUE_STATE_DONE;
}

static void
ttd_queue_finalize (GObject *object)
{
  TtdQueue *self = TTD_QUEUE (object);

  g_free (self->path);
  g_free (self->lock_path);
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

static const char *
get_string (JsonObject *object,
            const char *name)
{
  return json_object_get_string_member_with_default (object, name, NULL);
}

static TtdQueueItem *
item_from_json (JsonObject *object)
{
  TtdQueueItem *item = g_new0 (TtdQueueItem, 1);
  JsonArray *paths = json_object_has_member (object, "paths")
                     ? json_object_get_array_member (object, "paths") : NULL;
  const char *state = get_string (object, "state");
  const char *kind = get_string (object, "kind");

  item->id = g_strdup (get_string (object, "id"));
  item->kind = g_strcmp0 (kind, "slideshow") == 0 ? TTD_QUEUE_KIND_SLIDESHOW : TTD_QUEUE_KIND_VIDEO;
  item->paths = g_new0 (char *, (paths ? json_array_get_length (paths) : 0) + 1);
  for (guint i = 0; paths != NULL && i < json_array_get_length (paths); i++)
    item->paths[i] = g_strdup (json_array_get_string_element (paths, i));
  item->title = g_strdup (get_string (object, "title"));
  item->description = g_strdup (get_string (object, "description"));
  item->cover_index = json_object_get_int_member_with_default (object, "cover_index", 0);
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    if (g_strcmp0 (state, state_names[i]) == 0)
      item->state = i;
  item->publish_id = g_strdup (get_string (object, "publish_id"));
  item->upload_url = g_strdup (get_string (object, "upload_url"));
  item->upload_url_issued_at = json_object_get_int_member_with_default (object, "upload_url_issued_at", 0);
  item->acknowledged = json_object_get_int_member_with_default (object, "acknowledged", 0);
  item->chunk_size = json_object_get_int_member_with_default (object, "chunk_size", 0);
  item->chunk_count = json_object_get_int_member_with_default (object, "chunk_count", 0);
  item->file_size = json_object_get_int_member_with_default (object, "file_size", 0);
  item->file_mtime = json_object_get_int_member_with_default (object, "file_mtime", 0);
  item->status = g_strdup (get_string (object, "status"));
  item->error = g_strdup (get_string (object, "error"));
  item->owner_pid = json_object_get_int_member_with_default (object, "owner_pid", 0);
  item->created_at = json_object_get_int_member_with_default (object, "created_at", 0);
  item->updated_at = json_object_get_int_member_with_default (object, "updated_at", 0);

  if (item->id == NULL)
    {
      ttd_queue_item_free (item);
      return NULL;
    }

  return item;
}

static void
add_member (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_int_member (JsonBuilder *builder,
                const char  *name,
                gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
item_to_json (JsonBuilder        *builder,
              const TtdQueueItem *item)
{
  json_builder_begin_object (builder);
  add_member (builder, "id", item->id);
  add_member (builder, "kind", kind_names[item->kind]);
  json_builder_set_member_name (builder, "paths");
  json_builder_begin_array (builder);
  for (guint i = 0; item->paths != NULL && item->paths[i] != NULL; i++)
    json_builder_add_string_value (builder, item->paths[i]);
  json_builder_end_array (builder);
  add_member (builder, "title", item->title);
  add_member (builder, "description", item->description);
  add_int_member (builder, "cover_index", item->cover_index);
  add_member (builder, "state", ttd_queue_state_to_string (item->state));
  add_member (builder, "publish_id", item->publish_id);
  add_member (builder, "upload_url", item->upload_url);
  add_int_member (builder, "upload_url_issued_at", item->upload_url_issued_at);
  add_int_member (builder, "acknowledged", item->acknowledged);
  add_int_member (builder, "chunk_size", item->chunk_size);
  add_int_member (builder, "chunk_count", item->chunk_count);
  add_int_member (builder, "file_size", item->file_size);
  add_int_member (builder, "file_mtime", item->file_mtime);
  add_member (builder, "status", item->status);
  add_member (builder, "error", item->error);
  add_int_member (builder, "owner_pid", item->owner_pid);
  add_int_member (builder, "created_at", item->created_at);
  add_int_member (builder, "updated_at", item->updated_at);
  json_builder_end_object (builder);
}

static GPtrArray *
load_locked (TtdQueue *self)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) ttd_queue_item_free);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonArray *array;

  if (!g_file_test (self->path, G_FILE_TEST_EXISTS))
    return items;

  if (!json_parser_load_from_file (parser, self->path, &error) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (json_node_get_object (root), "items"))
    {
      /* Never silently drop a damaged queue: keep it aside for the user. */
      g_autofree char *aside = g_strconcat (self->path, ".damaged", NULL);

      g_warning ("The upload queue %s could not be read; it was kept as %s", self->path, aside);
      g_rename (self->path, aside);
      return items;
    }

  array = json_object_get_array_member (json_node_get_object (root), "items");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      TtdQueueItem *item = JSON_NODE_HOLDS_OBJECT (node) ? item_from_json (json_node_get_object (node)) : NULL;

      if (item != NULL)
        g_ptr_array_add (items, item);
    }

  return items;
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
  add_int_member (builder, "version", FORMAT_VERSION);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    item_to_json (builder, g_ptr_array_index (items, i));
  json_builder_end_array (builder);
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

static gint
find_index (GPtrArray  *items,
            const char *id)
{
  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (((TtdQueueItem *) g_ptr_array_index (items, i))->id, id) == 0)
      return i;

  return -1;
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
  return index >= 0 ? ttd_queue_item_copy (g_ptr_array_index (items, index)) : NULL;
}

static gboolean
owner_alive (gint64 pid)
{
  return pid > 0 && (pid == getpid () || kill ((pid_t) pid, 0) == 0 || errno == EPERM);
}

/**
 * ttd_queue_find_video:
 *
 * Finds an unfinished video item for the same, unchanged file: sending it
 * again continues that upload instead of making a second draft.
 */
TtdQueueItem *
ttd_queue_find_video (TtdQueue  *self,
                      GFile     *file,
                      GError   **error)
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
typedef gboolean (*EditFunc) (GPtrArray     *items,
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
  ok = edit (items, find_index (items, id), data, &changed, error);
  if (ok && changed)
    ok = save_locked (self, items, error);
  unlock_queue (self, fd);

  return ok;
}

static gboolean
put_edit (GPtrArray     *items,
          gint           index,
          gconstpointer  data,
          gboolean      *changed,
          GError       **error)
{
  TtdQueueItem *item = ttd_queue_item_copy (data);

  item->updated_at = g_get_real_time () / G_USEC_PER_SEC;
  if (index >= 0)
    {
      TtdQueueItem *current = g_ptr_array_index (items, index);

      /* Keep the claim of whoever holds the item. */
      if (item->owner_pid == 0 && owner_alive (current->owner_pid) && current->owner_pid != getpid ())
        item->owner_pid = current->owner_pid;
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
upsert_edit (GPtrArray     *items,
             gint           index,
             gconstpointer  data,
             gboolean      *changed,
             GError       **error)
{
  const TtdQueueItem *item = data;
  TtdQueueItem *current;
  gboolean same_files;

  if (index < 0)
    return put_edit (items, index, data, changed, error);

  current = g_ptr_array_index (items, index);
  same_files = g_strv_equal ((const char * const *) current->paths, (const char * const *) item->paths);

  g_strfreev (current->paths);
  current->paths = g_strdupv (item->paths);
  g_free (current->title);
  current->title = g_strdup (item->title);
  g_free (current->description);
  current->description = g_strdup (item->description);
  current->cover_index = item->cover_index;
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
remove_edit (GPtrArray     *items,
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
claim_edit (GPtrArray     *items,
            gint           index,
            gconstpointer  data,
            gboolean      *changed,
            GError       **error)
{
  TtdQueueItem *item;

  if (index < 0)
    {
      g_set_error (error, TTD_ERROR, TTD_ERROR_FAILED, _("This item is no longer in the upload queue."));
      return FALSE;
    }

  item = g_ptr_array_index (items, index);
  if (item->owner_pid != getpid () && owner_alive (item->owner_pid))
    {
      g_autofree char *name = item->paths && item->paths[0]
                              ? g_filename_display_basename (item->paths[0]) : g_strdup ("?");

      g_set_error (error, TTD_ERROR, TTD_ERROR_FAILED,
                   _("“%s” is already being sent by another TikTok Drafts window or command (process %" PRId64 ")."),
                   name, item->owner_pid);
      return FALSE;
    }

  item->owner_pid = getpid ();
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
  return edit_queue (self, id, claim_edit, NULL, error);
}

static gboolean
release_edit (GPtrArray     *items,
              gint           index,
              gconstpointer  data,
              gboolean      *changed,
              GError       **error)
{
  TtdQueueItem *item = index >= 0 ? g_ptr_array_index (items, index) : NULL;

  if (item != NULL && item->owner_pid == getpid ())
    {
      item->owner_pid = 0;
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
