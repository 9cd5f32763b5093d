/* ttd-emulator-inspect.c — recording and inspection: the request log and
 * the snapshot of GET /_emulator/state
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>
#include <string.h>

#include "ttd-emulator-private.h"

#define MAX_REQUEST_LOG 10000

/* The names of Emulator.counts in the snapshot. */
static const char * const count_names[N_COUNTS] = {
  [COUNT_AUTHORIZE] = "authorize",
  [COUNT_TOKEN_EXCHANGES] = "token_exchanges",
  [COUNT_REFRESHES] = "refreshes",
  [COUNT_REVOKES] = "revokes",
  [COUNT_VIDEO_INITS] = "video_inits",
  [COUNT_CONTENT_INITS] = "content_inits",
  [COUNT_STATUS_FETCHES] = "status_fetches",
  [COUNT_PUTS] = "puts",
  [COUNT_USER_INFO] = "user_info",
  [COUNT_CANCELS] = "cancels",
  [COUNT_DIRECT_POST] = "direct_post_attempts",
};

void
emu_request_record_free (gpointer data)
{
  RequestRecord *rec = data;

  g_free (rec->method);
  g_free (rec->path);
  g_free (rec);
}

void
emu_direct_post_attempt_free (gpointer data)
{
  DirectPostAttempt *attempt = data;

  g_free (attempt->method);
  g_free (attempt->path);
  g_free (attempt->time);
  g_free (attempt);
}

/* Logs "METHOD PATH STATUS" on stderr (never a query string: it may hold
 * an upload token) and keeps the last MAX_REQUEST_LOG for the snapshot. */
void
emu_log_request (Emulator          *self,
                 SoupServerMessage *msg,
                 gboolean           aborted)
{
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  guint status = soup_server_message_get_status (msg);
  RequestRecord *rec;

  if (method == NULL)
    return;
  if (aborted && g_object_get_data (G_OBJECT (msg), "ttd-deliberate-500") != NULL)
    {
      PutContext *ctx = g_object_get_data (G_OBJECT (msg), "ttd-put");

      aborted = ctx != NULL && ctx->aborted;
    }

  fprintf (stderr, "%s %s %u%s\n", method, path, status, aborted ? " (aborted)" : "");
  fflush (stderr);

  if (self->requests->len >= MAX_REQUEST_LOG)
    g_ptr_array_remove_index (self->requests, 0);
  rec = g_new0 (RequestRecord, 1);
  rec->method = g_strdup (method);
  rec->path = g_strdup (path);
  rec->status = aborted ? 0 : status;
  g_ptr_array_add (self->requests, rec);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_boolean (JsonBuilder *b,
             const char  *name,
             gboolean     value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

typedef void (*AddFunc) (JsonBuilder *b,
                         gpointer     item);

static void
add_array (JsonBuilder *b,
           const char  *name,
           GPtrArray   *items,
           AddFunc      add_one)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < items->len; i++)
    {
      json_builder_begin_object (b);
      add_one (b, g_ptr_array_index (items, i));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_attempt (JsonBuilder *b,
             gpointer     item)
{
  DirectPostAttempt *attempt = item;

  add_string (b, "method", attempt->method);
  add_string (b, "path", attempt->path);
  add_string (b, "time", attempt->time);
}

static void
add_request (JsonBuilder *b,
             gpointer     item)
{
  RequestRecord *rec = item;

  add_string (b, "method", rec->method);
  add_string (b, "path", rec->path);
  add_int (b, "status", rec->status);
}

static void
add_photo (JsonBuilder *b,
           gpointer     item)
{
  PhotoImage *image = item;

  add_string (b, "url", image->url);
  add_int (b, "size", image->size);
  add_string (b, "sha256", image->sha256);
  add_string (b, "format", image->format);
  add_int (b, "width", image->width);
  add_int (b, "height", image->height);
  add_boolean (b, "has_exif", image->has_exif);
  add_boolean (b, "progressive", image->progressive);
}

static void
add_draft (JsonBuilder *b,
           Draft       *draft,
           gint64       now)
{
  g_autofree char *created = emu_iso8601_from_us (draft->created_at);

  json_builder_begin_object (b);
  add_string (b, "publish_id", draft->publish_id);
  add_string (b, "kind", draft->kind == KIND_VIDEO ? "video" : "photo");
  add_string (b, "status", draft->status);
  add_string (b, "fail_reason", draft->fail_reason);
  add_string (b, "open_id", draft->open_id);
  add_boolean (b, "acted_on", draft->acted_on);
  add_boolean (b, "pending", emu_draft_is_pending (draft, now));
  add_string (b, "created_at", created);

  if (draft->kind == KIND_VIDEO)
    {
      add_int (b, "video_size", draft->video_size);
      add_int (b, "chunk_size", draft->chunk_size);
      add_int (b, "total_chunk_count", draft->total_chunk_count);
      add_int (b, "uploaded_bytes", draft->uploaded_bytes);
      add_int (b, "chunks_received", draft->chunks_received);
      add_int (b, "put_attempts", draft->put_attempts);
      add_int (b, "inits_for_this_draft", draft->inits_for_this_draft);
      add_boolean (b, "upload_complete", draft->upload_complete);
      add_boolean (b, "upload_url_expired", draft->upload_expires_at <= now);
      add_string (b, "sha256", draft->sha256);
      add_string (b, "content_type", draft->content_type);
    }
  else
    {
      add_int (b, "downloaded_bytes", draft->downloaded_bytes);
      add_string (b, "title", draft->title);
      add_string (b, "description", draft->description);
      add_int (b, "photo_cover_index", draft->photo_cover_index);
      json_builder_set_member_name (b, "photo_urls");
      json_builder_begin_array (b);
      for (guint i = 0; i < draft->photo_urls->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (draft->photo_urls, i));
      json_builder_end_array (b);
      add_array (b, "photo_images", draft->photo_images, add_photo);
    }

  json_builder_end_object (b);
}

static void
add_records (JsonBuilder *b,
             Emulator    *self)
{
  add_array (b, "direct_post_attempts", self->direct_post_attempts, add_attempt);

  json_builder_set_member_name (b, "counts");
  json_builder_begin_object (b);
  for (guint i = COUNT_NONE + 1; i < N_COUNTS; i++)
    add_int (b, count_names[i], self->counts[i]);
  json_builder_end_object (b);
}

/* The snapshot GET /_emulator/state answers with. */
JsonNode *
emu_build_state (Emulator *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer value;
  guint live_access = 0, live_refresh = 0;
  guint i;

  g_hash_table_iter_init (&iter, self->grants_by_refresh);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Grant *grant = value;

      if (grant->access_expires_at > now)
        live_access++;
      if (grant->refresh_expires_at > now)
        live_refresh++;
    }

  json_builder_begin_object (b);
  add_string (b, "open_id", self->open_id);
  add_string (b, "union_id", self->union_id);
  add_string (b, "display_name", self->display_name);

  json_builder_set_member_name (b, "drafts");
  json_builder_begin_array (b);
  for (i = 0; i < self->drafts->len; i++)
    add_draft (b, g_ptr_array_index (self->drafts, i), now);
  json_builder_end_array (b);
  add_int (b, "pending_drafts", emu_count_pending (self, self->open_id));

  json_builder_set_member_name (b, "users");
  json_builder_begin_array (b);
  {
    GHashTableIter users;
    gpointer user_id, user_name;

    g_hash_table_iter_init (&users, self->users);
    while (g_hash_table_iter_next (&users, &user_id, &user_name))
      {
        json_builder_begin_object (b);
        add_string (b, "open_id", user_id);
        add_string (b, "display_name", user_name);
        add_int (b, "pending_drafts", emu_count_pending (self, user_id));
        json_builder_end_object (b);
      }
  }
  json_builder_end_array (b);

  add_records (b, self);
  add_int (b, "live_access_tokens", live_access);
  add_int (b, "live_refresh_tokens", live_refresh);

  json_builder_set_member_name (b, "armed_faults");
  json_builder_begin_array (b);
  for (i = 0; i < self->faults->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (self->faults, i));
  json_builder_end_array (b);

  add_array (b, "requests", self->requests, add_request);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

void
emu_handle_admin_state (Emulator          *self,
                        SoupServerMessage *msg,
                        GHashTable        *query,
                        Grant             *grant)
{
  g_autoptr(JsonNode) root = emu_build_state (self);
  char *text = json_to_string (root, TRUE);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json; charset=UTF-8",
                                    SOUP_MEMORY_TAKE, text, strlen (text));
}
