/* ttd-dbus-items.c — the queue as the D-Bus API shows it: ListItems and ItemChanged
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An item is described the same way in both: an a{sv} with its id, kind,
 * state, files and progress, and what else is known (see the interface
 * XML). The session's top-level items are watched; a change of state,
 * error or publish_id is signalled at once, progress and status at most
 * every PROGRESS_INTERVAL_MS. A copy a program handed over as a descriptor
 * (ttd-dbus-received.c) is deleted once its draft is in the inbox or its
 * item left the queue.
 */

#include "config.h"

#include "ttd-dbus-received.h"
#include "ttd-dbus-service-private.h"

#define PROGRESS_INTERVAL_MS 250

typedef struct
{
  TtdDbusService *self;       /* not a reference: the service owns the watches */
  TtdUploadItem  *item;       /* a reference */
  char           *id;         /* the last id it had, for when it is gone */
  gulong          notify_id;
  guint           progress_id;
} Watch;

static char *
dup_file_text (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  return path ? ttd_queue_path_to_text (path) : g_file_get_uri (file);
}

/* The item's files: a video's one, a slideshow's pictures in order. */
static GPtrArray *
item_files (TtdUploadItem *item)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_object_unref);
  GListStore *images = ttd_upload_item_get_images (item);

  if (images == NULL)
    {
      g_ptr_array_add (files, g_object_ref (ttd_upload_item_get_file (item)));
      return files;
    }

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (images)); i++)
    {
      g_autoptr(TtdUploadItem) image = g_list_model_get_item (G_LIST_MODEL (images), i);

      g_ptr_array_add (files, g_object_ref (ttd_upload_item_get_file (image)));
    }

  return files;
}

/* The account an item is for: set when it is first sent (or asked for in
 * Send), NULL for an item not sent yet, which goes with the window's. */
static char *
dup_item_open_id (TtdUploadItem *item)
{
  return g_strdup (ttd_upload_item_get_open_id (item));
}

/* When an item that waits for TikTok (its cap on pending drafts, a rate
 * limit) is tried again, as Unix time; 0 for no such wait. Read from a
 * "next-try" property once the queue's back-off gives items one. */
static gint64
item_next_try (TtdUploadItem *item)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (item), "next-try");
  gint64 when = 0;

  if (pspec != NULL && pspec->value_type == G_TYPE_INT64)
    g_object_get (item, "next-try", &when, NULL);

  return when;
}

static void
dict_insert_text (GVariantDict *dict,
                  const char   *key,
                  const char   *text)
{
  if (text != NULL && *text != '\0')
    g_variant_dict_insert (dict, key, "s", text);
}

static const char *
state_name (TtdQueueState state)
{
  GEnumClass *klass = g_type_class_ref (TTD_TYPE_QUEUE_STATE);
  GEnumValue *value = g_enum_get_value (klass, (int) state);

  g_type_class_unref (klass);

  return value ? value->value_nick : "queued";
}

/**
 * _ttd_dbus_describe_item:
 * @item: a video or slideshow of the session
 *
 * Returns: (transfer floating): @item as an a{sv}
 */
GVariant *
_ttd_dbus_describe_item (TtdUploadItem *item)
{
  g_autoptr(GPtrArray) files = item_files (item);
  g_autoptr(GStrvBuilder) texts = g_strv_builder_new ();
  g_auto(GStrv) paths = NULL;
  g_autofree char *open_id = dup_item_open_id (item);
  gboolean slideshow = ttd_upload_item_get_kind (item) == TTD_UPLOAD_ITEM_SLIDESHOW;
  gint64 next_try = item_next_try (item);
  GVariantDict dict;

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *text = dup_file_text (g_ptr_array_index (files, i));

      g_strv_builder_add (texts, text);
    }
  paths = g_strv_builder_end (texts);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "id", "s", ttd_draft_session_get_item_id (item));
  g_variant_dict_insert (&dict, "kind", "s", slideshow ? "slideshow" : "video");
  g_variant_dict_insert (&dict, "state", "s", state_name (ttd_upload_item_get_state (item)));
  g_variant_dict_insert (&dict, "files", "^as", paths);
  g_variant_dict_insert (&dict, "progress", "d", ttd_upload_item_get_fraction (item));
  dict_insert_text (&dict, "status", ttd_upload_item_get_status (item));
  if (slideshow)
    {
      dict_insert_text (&dict, "title", ttd_upload_item_get_title (item));
      dict_insert_text (&dict, "description", ttd_upload_item_get_description (item));
      g_variant_dict_insert (&dict, "cover", "u", ttd_upload_item_get_cover_index (item));
    }
  dict_insert_text (&dict, "publish_id", ttd_upload_item_get_publish_id (item));
  dict_insert_text (&dict, "error", ttd_upload_item_get_error (item));
  dict_insert_text (&dict, "account", open_id);
  if (next_try > 0)
    g_variant_dict_insert (&dict, "next_try", "x", next_try);

  return g_variant_dict_end (&dict);
}

/**
 * _ttd_dbus_list_items:
 *
 * Returns: (transfer floating): ListItems' answer, (aa{sv})
 */
GVariant *
_ttd_dbus_list_items (TtdDbusService *self)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  if (self->session != NULL)
    {
      GListModel *items = ttd_draft_session_get_items (self->session);

      for (guint i = 0; i < g_list_model_get_n_items (items); i++)
        {
          g_autoptr(TtdUploadItem) item = g_list_model_get_item (items, i);

          g_variant_builder_add_value (&builder, _ttd_dbus_describe_item (item));
        }
    }

  return g_variant_new ("(aa{sv})", &builder);
}

static void
emit_changed (TtdDbusService *self,
              const char     *id,
              GVariant       *state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) sunk = g_variant_ref_sink (state);

  if (self->connection == NULL || self->registration_id == 0)
    return;

  if (!g_dbus_connection_emit_signal (self->connection, NULL, TTD_DBUS_OBJECT_PATH, TTD_DBUS_INTERFACE,
                                      "ItemChanged", g_variant_new ("(s@a{sv})", id, sunk), &error))
    g_debug ("ItemChanged was not sent: %s", error->message);
}

static void
watch_emit (Watch *watch)
{
  g_clear_handle_id (&watch->progress_id, g_source_remove);
  g_free (watch->id);
  watch->id = g_strdup (ttd_draft_session_get_item_id (watch->item));
  emit_changed (watch->self, watch->id, _ttd_dbus_describe_item (watch->item));
}

static gboolean
progress_cb (gpointer data)
{
  Watch *watch = data;

  watch->progress_id = 0;
  watch_emit (watch);

  return G_SOURCE_REMOVE;
}

/* Copies made for SendFiles go once they are not needed. */
static void
delete_received (TtdUploadItem *item)
{
  g_autoptr(GPtrArray) files = item_files (item);

  for (guint i = 0; i < files->len; i++)
    if (ttd_received_is_copy (g_ptr_array_index (files, i)))
      {
        ttd_received_delete (files);
        return;
      }
}

static void
item_notify_cb (TtdUploadItem *item,
                GParamSpec    *pspec,
                Watch         *watch)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "fraction") || g_str_equal (name, "status"))
    {
      if (watch->progress_id == 0)
        watch->progress_id = g_timeout_add (PROGRESS_INTERVAL_MS, progress_cb, watch);
      return;
    }

  if (!g_str_equal (name, "state") && !g_str_equal (name, "error") && !g_str_equal (name, "publish-id"))
    return;

  watch_emit (watch);
  if (g_str_equal (name, "state") && ttd_upload_item_get_state (item) == TTD_QUEUE_STATE_DONE)
    delete_received (item);
}

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  g_clear_handle_id (&watch->progress_id, g_source_remove);
  g_clear_signal_handler (&watch->notify_id, watch->item);
  g_clear_object (&watch->item);
  g_free (watch->id);
  g_free (watch);
}

static void
watch_item (TtdDbusService *self,
            TtdUploadItem  *item)
{
  Watch *watch = g_new0 (Watch, 1);

  watch->self = self;
  watch->item = g_object_ref (item);
  watch->notify_id = g_signal_connect (item, "notify", G_CALLBACK (item_notify_cb), watch);
  g_hash_table_insert (self->watched, item, watch);
  watch_emit (watch);
}

/* After the list changed: items moved within it are removed and inserted
 * again, so the comparison waits for an idle moment. */
static gboolean
sync_cb (gpointer data)
{
  TtdDbusService *self = data;
  g_autoptr(GHashTable) current = g_hash_table_new (NULL, NULL);
  GListModel *items = ttd_draft_session_get_items (self->session);
  GHashTableIter iter;
  gpointer key, value;

  self->sync_id = 0;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (items, i);

      g_hash_table_add (current, item);
      if (!g_hash_table_contains (self->watched, item))
        watch_item (self, item);
    }

  g_hash_table_iter_init (&iter, self->watched);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Watch *watch = value;
      GVariantDict gone;

      if (g_hash_table_contains (current, key))
        continue;

      g_variant_dict_init (&gone, NULL);
      g_variant_dict_insert (&gone, "id", "s", watch->id);
      g_variant_dict_insert (&gone, "state", "s", "removed");
      emit_changed (self, watch->id, g_variant_dict_end (&gone));
      if (!ttd_upload_item_is_busy (watch->item))
        delete_received (watch->item);
      g_hash_table_iter_remove (&iter);
    }

  return G_SOURCE_REMOVE;
}

static void
items_changed_cb (TtdDbusService *self)
{
  if (self->sync_id == 0)
    self->sync_id = g_idle_add (sync_cb, self);
}

/**
 * _ttd_dbus_watch_session:
 *
 * Starts signalling the changes of the session's items.
 */
void
_ttd_dbus_watch_session (TtdDbusService *self)
{
  if (self->watched == NULL)
    self->watched = g_hash_table_new_full (NULL, NULL, NULL, watch_free);

  g_signal_connect_object (ttd_draft_session_get_items (self->session), "items-changed",
                           G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);
  items_changed_cb (self);
}

void
_ttd_dbus_unwatch_all (TtdDbusService *self)
{
  g_clear_handle_id (&self->sync_id, g_source_remove);
  g_clear_pointer (&self->watched, g_hash_table_unref);
}
