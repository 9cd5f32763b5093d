/* ttd-queue-item.c — one queue item, and how it is kept in queue.json
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ttd-config.h"
#include "ttd-queue-private.h"
#include "ttd-secure.h"

/* Everything read back is checked: an item that is not what this file
 * writes (a field of the wrong type, no files) is refused with the reason,
 * and the queue leaves it out alone. File names that are not UTF-8 are
 * written as file:// URIs, so every name survives the round trip. */

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
  copy->open_id = g_strdup (self->open_id);
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
  g_free (self->open_id);
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

/**
 * ttd_queue_item_is_waiting:
 *
 * Returns: whether TikTok held @self back and it waits for its next try
 *   (due or not), rather than for the user
 */
gboolean
ttd_queue_item_is_waiting (const TtdQueueItem *self)
{
  return self->next_try_at > 0 &&
         (self->state == TTD_QUEUE_STATE_QUEUED || self->state == TTD_QUEUE_STATE_PROCESSING);
}

/**
 * ttd_queue_item_is_due:
 * @now: seconds since the epoch
 *
 * Returns: whether a send run that respects TikTok's waits may try @self now
 */
gboolean
ttd_queue_item_is_due (const TtdQueueItem *self,
                       gint64              now)
{
  return self->next_try_at <= now;
}

void
ttd_queue_item_clear_wait (TtdQueueItem *self)
{
  self->wait_reason = TTD_WAIT_NONE;
  self->next_try_at = 0;
  self->wait_count = 0;
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  return json_object_get_string_member_with_default (object, name, NULL);
}

static const char *string_members[] = {
  "id", "kind", "open_id", "title", "description", "state", "publish_id", "upload_url", "status", "error",
  "wait_reason",
};

static const char *int_members[] = {
  "cover_index", "upload_url_issued_at", "acknowledged", "chunk_size", "chunk_count", "file_size",
  "file_mtime", "owner_pid", "owner_start_time", "created_at", "updated_at", "next_try_at", "wait_count",
};

/* Absent and null are fine; anything else must be a value of @type. */
static gboolean
member_has_type (JsonObject *object,
                 const char *name,
                 GType       type)
{
  JsonNode *node = json_object_get_member (object, name);

  return node == NULL || JSON_NODE_HOLDS_NULL (node) ||
         (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type);
}

static gint
name_index (const char  *name,
            const char **names,
            guint        n_names)
{
  for (guint i = 0; name != NULL && i < n_names; i++)
    if (g_str_equal (name, names[i]))
      return i;

  return -1;
}

/**
 * ttd_queue_path_to_text:
 *
 * A file name as JSON or any other UTF-8 text can carry it: names that are
 * UTF-8 are kept as they are (readable, and what earlier versions wrote);
 * any other becomes a file:// URI, which is ASCII and loses nothing.
 */
char *
ttd_queue_path_to_text (const char *path)
{
  g_autoptr(GFile) file = NULL;

  if (g_utf8_validate (path, -1, NULL))
    return g_strdup (path);

  file = g_file_new_for_commandline_arg (path);
  return g_file_get_uri (file);
}

static char *
path_from_json (const char *text)
{
  if (g_str_has_prefix (text, "file:"))
    return g_filename_from_uri (text, NULL, NULL);

  return g_strdup (text);
}

static GStrv
paths_from_json (JsonObject  *object,
                 gboolean     repaired)
{
  JsonNode *node = json_object_get_member (object, "paths");
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array;
  guint length;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  array = json_node_get_array (node);
  length = json_array_get_length (array);
  if (length == 0)
    return NULL;

  for (guint i = 0; i < length; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *text;
      char *path;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return NULL;

      /* In a file repaired into UTF-8, a replacement character stands
       * for bytes that are lost: that name no longer leads to the file. */
      text = json_node_get_string (element);
      if (*text == '\0' || (repaired && strstr (text, "\xef\xbf\xbd") != NULL) ||
          (path = path_from_json (text)) == NULL)
        return NULL;
      g_ptr_array_add (paths, path);
    }

  g_ptr_array_add (paths, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&paths), FALSE);
}

/* Returns the item, or %NULL and why it cannot be used (@repaired: the
 * file was not UTF-8 and was made so). */
TtdQueueItem *
_ttd_queue_item_from_json (JsonObject  *object,
                           gboolean     repaired,
                           const char **reason)
{
  g_autoptr(TtdQueueItem) item = g_new0 (TtdQueueItem, 1);
  gint kind, state;

  for (guint i = 0; i < G_N_ELEMENTS (string_members); i++)
    if (!member_has_type (object, string_members[i], G_TYPE_STRING))
      {
        *reason = _("one of its fields is not text");
        return NULL;
      }

  for (guint i = 0; i < G_N_ELEMENTS (int_members); i++)
    if (!member_has_type (object, int_members[i], G_TYPE_INT64) ||
        json_object_get_int_member_with_default (object, int_members[i], 0) < 0)
      {
        *reason = _("one of its numbers is not valid");
        return NULL;
      }

  item->id = g_strdup (get_string (object, "id"));
  kind = name_index (get_string (object, "kind"), kind_names, G_N_ELEMENTS (kind_names));
  state = name_index (get_string (object, "state"), state_names, G_N_ELEMENTS (state_names));
  item->paths = paths_from_json (object, repaired);
  if (item->id == NULL || *item->id == '\0' || kind < 0 || state < 0)
    {
      *reason = _("it has no identifier, kind or state");
      return NULL;
    }
  if (item->paths == NULL || (kind == TTD_QUEUE_KIND_VIDEO && g_strv_length (item->paths) != 1))
    {
      *reason = _("its list of files is missing or not valid");
      return NULL;
    }

  item->kind = kind;
  item->state = state;
  item->open_id = g_strdup (get_string (object, "open_id"));
  item->title = g_strdup (get_string (object, "title"));
  item->description = g_strdup (get_string (object, "description"));
  item->cover_index = json_object_get_int_member_with_default (object, "cover_index", 0);
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
  item->owner_start_time = json_object_get_int_member_with_default (object, "owner_start_time", 0);
  item->next_try_at = json_object_get_int_member_with_default (object, "next_try_at", 0);
  item->wait_count = json_object_get_int_member_with_default (object, "wait_count", 0);
  item->wait_reason = ttd_wait_reason_from_string (get_string (object, "wait_reason"));
  item->created_at = json_object_get_int_member_with_default (object, "created_at", 0);
  item->updated_at = json_object_get_int_member_with_default (object, "updated_at", 0);

  if (item->cover_index >= g_strv_length (item->paths) || item->owner_pid > G_MAXINT32)
    {
      *reason = _("one of its numbers is not valid");
      return NULL;
    }

  /* Video bytes go only where nobody can read them on the way. */
  if (item->upload_url != NULL && !ttd_config_url_is_secure (item->upload_url))
    {
      g_warning ("Not continuing the upload of queue item %s: its upload address does not use https",
                 item->id);
      ttd_secure_clear (&item->upload_url);
      item->upload_url_issued_at = 0;
      item->acknowledged = 0;
    }

  return g_steal_pointer (&item);
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

void
_ttd_queue_item_to_json (JsonBuilder        *builder,
                         const TtdQueueItem *item)
{
  json_builder_begin_object (builder);
  add_member (builder, "id", item->id);
  add_member (builder, "kind", kind_names[item->kind]);
  json_builder_set_member_name (builder, "paths");
  json_builder_begin_array (builder);
  for (guint i = 0; item->paths != NULL && item->paths[i] != NULL; i++)
    {
      g_autofree char *text = ttd_queue_path_to_text (item->paths[i]);

      json_builder_add_string_value (builder, text);
    }
  json_builder_end_array (builder);
  add_member (builder, "open_id", item->open_id);
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
  add_int_member (builder, "owner_start_time", item->owner_pid != 0 ? item->owner_start_time : 0);
  if (item->next_try_at > 0)
    {
      add_member (builder, "wait_reason", ttd_wait_reason_to_string (item->wait_reason));
      add_int_member (builder, "next_try_at", item->next_try_at);
      add_int_member (builder, "wait_count", item->wait_count);
    }
  add_int_member (builder, "created_at", item->created_at);
  add_int_member (builder, "updated_at", item->updated_at);
  json_builder_end_object (builder);
}
