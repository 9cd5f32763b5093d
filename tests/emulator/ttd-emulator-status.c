/* ttd-emulator-status.c — status, cancel, and the direct-post refusals
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ttd-emulator-private.h"

/* Every attempt to post directly is remembered, once per request. */
void
emu_record_direct_post (Emulator          *self,
                        SoupServerMessage *msg)
{
  DirectPostAttempt *attempt;
  g_autoptr(GDateTime) now = NULL;

  if (g_object_get_data (G_OBJECT (msg), "ttd-direct-post") != NULL)
    return;
  g_object_set_data (G_OBJECT (msg), "ttd-direct-post", GINT_TO_POINTER (1));

  now = g_date_time_new_now_utc ();
  attempt = g_new0 (DirectPostAttempt, 1);
  attempt->method = g_strdup (soup_server_message_get_method (msg));
  attempt->path = g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));
  attempt->time = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_ptr_array_add (self->direct_post_attempts, attempt);
  self->counts[COUNT_DIRECT_POST]++;
}

/* Parses {"publish_id": …} and checks ownership; answers on failure. */
static Draft *
lookup_publish_id (Emulator          *self,
                   SoupServerMessage *msg,
                   Grant             *grant)
{
  g_autoptr(JsonObject) body = emu_parse_json_body (msg);
  const char *publish_id;
  Draft *draft;

  if (body == NULL)
    return NULL;

  publish_id = emu_json_get_string (body, "publish_id");
  if (publish_id == NULL || *publish_id == '\0')
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params", "publish_id is required");
      return NULL;
    }

  draft = g_hash_table_lookup (self->drafts_by_id, publish_id);
  if (draft == NULL)
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_publish_id",
                      "The publish_id does not exist.");
      return NULL;
    }

  if (!g_str_equal (draft->open_id, grant->open_id) ||
      !g_str_equal (draft->client_key, grant->client_key))
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "token_not_authorized_for_specified_publish_id",
                      "The access token is not authorized for this publish_id.");
      return NULL;
    }

  return draft;
}

void
emu_handle_status_fetch (Emulator          *self,
                         SoupServerMessage *msg,
                         GHashTable        *query,
                         Grant             *grant)
{
  g_autoptr(JsonObject) data = NULL;
  Draft *draft;

  draft = lookup_publish_id (self, msg, grant);
  if (draft == NULL)
    return;

  data = json_object_new ();
  json_object_set_string_member (data, "status", draft->status);
  if (draft->status == EMU_STATUS_FAILED)
    json_object_set_string_member (data, "fail_reason", draft->fail_reason);
  json_object_set_array_member (data, "publicaly_available_post_id", json_array_new ());
  if (draft->kind == KIND_VIDEO)
    json_object_set_int_member (data, "uploaded_bytes", draft->uploaded_bytes);
  else
    json_object_set_int_member (data, "downloaded_bytes", draft->downloaded_bytes);
  emu_send_ok (msg, data);
}

void
emu_handle_cancel (Emulator          *self,
                   SoupServerMessage *msg,
                   GHashTable        *query,
                   Grant             *grant)
{
  Draft *draft;

  draft = lookup_publish_id (self, msg, grant);
  if (draft == NULL)
    return;

  if (draft->kind != KIND_PHOTO || draft->status != EMU_STATUS_DOWNLOAD ||
      draft->processing != NULL)
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "publish_not_cancellable",
                      "The publish task can no longer be cancelled.");
      return;
    }

  g_cancellable_cancel (draft->cancellable);
  emu_draft_fail (draft, "publish_cancelled");
  emu_send_ok (msg, NULL);
}

/* Direct posting is never emulated: the caller has video.publish (the
 * guard or emu_handle_content_init() checked it) and is told what an
 * unaudited client is told. */
void
emu_refuse_direct_post (Emulator          *self,
                        SoupServerMessage *msg,
                        GHashTable        *query,
                        Grant             *grant)
{
  emu_record_direct_post (self, msg);
  emu_send_error (msg, SOUP_STATUS_FORBIDDEN, "unaudited_client_can_only_post_to_private_accounts",
                  "Unaudited clients can only post to private accounts.");
}
