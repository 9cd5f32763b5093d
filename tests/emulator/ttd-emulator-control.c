/* ttd-emulator-control.c — fault arming and the other control endpoints
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ttd-emulator-private.h"

const char * const emu_fault_names[] = {
  "reset-mid-chunk", "upload-5xx", "init-5xx", "status-5xx",
  "expire-access-tokens", "expire-upload-urls", "rate-limit",
  "invalid-grant", "deny-authorize", "pending-cap", "outage", "expire-upload-url-after-2-chunks", NULL
};

/* Arms the fault @name; FALSE if there is no such fault. */
gboolean
emu_arm_fault (Emulator   *self,
               const char *name)
{
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer value;
  guint i;

  if (name == NULL || !g_strv_contains (emu_fault_names, name))
    return FALSE;

  /* Three faults act at once rather than on the next matching request. */
  if (g_str_equal (name, "expire-access-tokens"))
    {
      g_hash_table_iter_init (&iter, self->grants_by_refresh);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Grant *grant = value;

          grant->access_expires_at = MIN (grant->access_expires_at, now - 1);
        }
    }
  else if (g_str_equal (name, "expire-upload-urls"))
    {
      for (i = 0; i < self->drafts->len; i++)
        {
          Draft *draft = g_ptr_array_index (self->drafts, i);

          if (draft->kind == KIND_VIDEO)
            draft->upload_expires_at = MIN (draft->upload_expires_at, now - 1);
        }
    }
  else if (g_str_equal (name, "outage"))
    {
      /* "The network is gone" for three seconds: every connection is cut
       * before it is answered. */
      self->outage_until = now + 3 * G_USEC_PER_SEC;
    }
  else
    {
      g_ptr_array_add (self->faults, g_strdup (name));
    }

  return TRUE;
}

/* Every SEND_TO_USER_INBOX draft becomes acted on; returns how many. */
guint
emu_act_on_drafts (Emulator *self)
{
  guint acted = 0;
  guint i;

  for (i = 0; i < self->drafts->len; i++)
    {
      Draft *draft = g_ptr_array_index (self->drafts, i);

      if (draft->status == EMU_STATUS_INBOX && !draft->acted_on)
        {
          draft->acted_on = TRUE;
          acted++;
        }
    }

  return acted;
}

/* Forgets drafts, codes, tokens, counters, faults and records. */
void
emu_reset (Emulator *self)
{
  g_hash_table_remove_all (self->codes);
  g_hash_table_remove_all (self->grants_by_access);
  g_hash_table_remove_all (self->grants_by_refresh);
  g_hash_table_remove_all (self->drafts_by_id);
  g_hash_table_remove_all (self->drafts_by_upload_id);
  g_ptr_array_set_size (self->drafts, 0);
  g_ptr_array_set_size (self->faults, 0);
  g_ptr_array_set_size (self->direct_post_attempts, 0);
  g_ptr_array_set_size (self->requests, 0);
  memset (self->counts, 0, sizeof self->counts);
}

/* {"KEY": VALUE}; takes @value. */
static void
send_admin_reply (SoupServerMessage *msg,
                  guint              status,
                  const char        *key,
                  JsonNode          *value)
{
  g_autoptr(JsonObject) root = json_object_new ();

  json_object_set_member (root, key, value);
  emu_send_json_object (msg, status, root);
}

void
emu_handle_admin_fault (Emulator          *self,
                        SoupServerMessage *msg,
                        GHashTable        *query,
                        Grant             *grant)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  const char *name = NULL;
  gsize len = 0;

  text = emu_request_body_text (msg, &len);
  if (json_parser_load_from_data (parser, text, len, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    name = emu_json_get_string (json_node_get_object (root), "fault");

  if (!emu_arm_fault (self, name))
    {
      JsonNode *error = json_node_new (JSON_NODE_VALUE);

      json_node_set_string (error, name != NULL ? "unknown fault" : "body must be {\"fault\": NAME}");
      send_admin_reply (msg, SOUP_STATUS_BAD_REQUEST, "error", error);
    }
  else
    {
      JsonNode *armed = json_node_new (JSON_NODE_VALUE);

      json_node_set_string (armed, name);
      send_admin_reply (msg, SOUP_STATUS_OK, "armed", armed);
    }
}

void
emu_handle_admin_act (Emulator          *self,
                      SoupServerMessage *msg,
                      GHashTable        *query,
                      Grant             *grant)
{
  JsonNode *count = json_node_new (JSON_NODE_VALUE);

  json_node_set_int (count, emu_act_on_drafts (self));
  send_admin_reply (msg, SOUP_STATUS_OK, "acted", count);
}

void
emu_handle_admin_reset (Emulator          *self,
                        SoupServerMessage *msg,
                        GHashTable        *query,
                        Grant             *grant)
{
  JsonNode *done = json_node_new (JSON_NODE_VALUE);

  emu_reset (self);
  json_node_set_boolean (done, TRUE);
  send_admin_reply (msg, SOUP_STATUS_OK, "reset", done);
}

/* The display name of the user @open_id. */
const char *
emu_user_display_name (Emulator   *self,
                       const char *open_id)
{
  const char *name = g_hash_table_lookup (self->users, open_id);

  return name != NULL ? name : self->display_name;
}

/* "The browser" is signed in to TikTok as the user called @display_name
 * (made up the first time): the next authorize grants that one. */
void
emu_sign_in_browser_user (Emulator   *self,
                          const char *display_name)
{
  const char *open_id = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->users);
  while (open_id == NULL && g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_equal (value, display_name))
      open_id = key;

  if (open_id == NULL)
    {
      char *new_id = emu_random_uuid ();

      g_hash_table_insert (self->users, new_id, g_strdup (display_name));
      open_id = new_id;
    }

  g_free (self->open_id);
  self->open_id = g_strdup (open_id);
  g_free (self->display_name);
  self->display_name = g_strdup (display_name);
}

/* "The browser" signs in to TikTok as another user: the next authorize
 * grants that one, so a client can add a second account. */
void
emu_handle_admin_user (Emulator          *self,
                       SoupServerMessage *msg,
                       GHashTable        *query,
                       Grant             *grant)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonObject) reply = NULL;
  JsonNode *root;
  const char *name = NULL;
  gsize len = 0;

  text = emu_request_body_text (msg, &len);
  if (json_parser_load_from_data (parser, text, len, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    name = emu_json_get_string (json_node_get_object (root), "display_name");

  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      JsonNode *error = json_node_new (JSON_NODE_VALUE);

      json_node_set_string (error, "body must be {\"display_name\": NAME}");
      send_admin_reply (msg, SOUP_STATUS_BAD_REQUEST, "error", error);
      return;
    }

  emu_sign_in_browser_user (self, name);

  reply = json_object_new ();
  json_object_set_string_member (reply, "open_id", self->open_id);
  json_object_set_string_member (reply, "display_name", self->display_name);
  emu_send_json_object (msg, SOUP_STATUS_OK, reply);
}

void
emu_handle_avatar (Emulator          *self,
                   SoupServerMessage *msg,
                   GHashTable        *query,
                   Grant             *grant)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), self->avatar_png);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Content-Type", "image/png");
}
