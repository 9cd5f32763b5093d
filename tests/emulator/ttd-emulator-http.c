/* ttd-emulator-http.c — answers in TikTok's formats, and strict request parsing
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ttd-emulator-private.h"

static gboolean
strv_contains_csv (const char *csv,
                   const char *item)
{
  g_auto(GStrv) parts = NULL;

  if (csv == NULL)
    return FALSE;

  parts = g_strsplit (csv, ",", -1);
  return g_strv_contains ((const char * const *) parts, item);
}

/* ------------------------------------------------------------------ */
/* responses                                                            */
/* ------------------------------------------------------------------ */

void
emu_send_json_object (SoupServerMessage *msg,
                      guint              status,
                      JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  char *text;

  json_node_set_object (node, object);
  text = json_to_string (node, FALSE);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=UTF-8",
                                    SOUP_MEMORY_TAKE, text, strlen (text));
}

/* The v2 envelope; @data is borrowed (NULL: empty object). */
static void
send_envelope (SoupServerMessage *msg,
               guint              status,
               JsonObject        *data,
               const char        *code,
               const char        *message)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonObject *error = json_object_new ();
  g_autofree char *log_id = emu_make_log_id ();

  json_object_set_object_member (root, "data",
                                 data != NULL ? json_object_ref (data) : json_object_new ());
  json_object_set_string_member (error, "code", code);
  json_object_set_string_member (error, "message", message);
  json_object_set_string_member (error, "log_id", log_id);
  json_object_set_object_member (root, "error", error);
  emu_send_json_object (msg, status, root);

  /* SoupServer reports every 500 as "request-aborted"; remember that this
   * one was a deliberate answer so the request log stays truthful. */
  if (status == SOUP_STATUS_INTERNAL_SERVER_ERROR)
    g_object_set_data (G_OBJECT (msg), "ttd-deliberate-500", GINT_TO_POINTER (1));
}

void
emu_send_ok (SoupServerMessage *msg,
             JsonObject        *data)
{
  send_envelope (msg, SOUP_STATUS_OK, data, "ok", "");
}

void
emu_send_error (SoupServerMessage *msg,
                guint              status,
                const char        *code,
                const char        *message)
{
  send_envelope (msg, status, NULL, code, message);
}

void
emu_send_oauth_error (SoupServerMessage *msg,
                      guint              status,
                      const char        *error,
                      const char        *description)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autofree char *log_id = emu_make_log_id ();

  json_object_set_string_member (root, "error", error);
  json_object_set_string_member (root, "error_description", description);
  json_object_set_string_member (root, "log_id", log_id);
  emu_send_json_object (msg, status, root);
}

void
emu_send_html_error (SoupServerMessage *msg,
                     guint              status,
                     const char        *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  char *html = g_strdup_printf ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                                "<title>TikTok emulator: authorization error</title></head>"
                                "<body><h1>Something went wrong</h1><p>%s</p></body></html>\n",
                                escaped);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8",
                                    SOUP_MEMORY_TAKE, html, strlen (html));
}

/* ------------------------------------------------------------------ */
/* request helpers                                                      */
/* ------------------------------------------------------------------ */

char *
emu_request_body_text (SoupServerMessage *msg,
                       gsize             *len_out)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  if (len_out != NULL)
    *len_out = len;
  return g_strndup (data != NULL ? data : "", len);
}

gboolean
emu_content_type_is (SoupServerMessage *msg,
                     const char        *wanted,
                     gboolean           allow_charset)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GHashTable) params = NULL;
  const char *type = soup_message_headers_get_content_type (headers, &params);
  GHashTableIter iter;
  gpointer key, value;

  if (type == NULL || g_ascii_strcasecmp (type, wanted) != 0)
    return FALSE;

  if (params == NULL)
    return TRUE;

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!allow_charset || g_ascii_strcasecmp (key, "charset") != 0)
        return FALSE;
      if (value == NULL ||
          (g_ascii_strcasecmp (value, "utf-8") != 0 &&
           g_ascii_strcasecmp (value, "utf8") != 0))
        return FALSE;
    }

  return TRUE;
}

/* Bearer authentication; sends 401 access_token_invalid on failure. */
Grant *
emu_require_grant (Emulator          *self,
                   SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  Grant *grant = NULL;

  if (auth != NULL && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    {
      const char *token = auth + 7;

      while (*token == ' ')
        token++;
      grant = g_hash_table_lookup (self->grants_by_access, token);
    }

  if (grant == NULL || grant->access_expires_at <= g_get_monotonic_time ())
    {
      emu_send_error (msg, SOUP_STATUS_UNAUTHORIZED, "access_token_invalid",
                      "The access token is invalid or not found in the request.");
      return NULL;
    }

  return grant;
}

gboolean
emu_grant_has_scope (Grant      *grant,
                     const char *scope)
{
  return strv_contains_csv (grant->scope, scope);
}

/* Sends 401 scope_not_authorized unless the user granted @scope. */
gboolean
emu_require_scope (SoupServerMessage *msg,
                   Grant             *grant,
                   const char        *scope)
{
  if (emu_grant_has_scope (grant, scope))
    return TRUE;

  emu_send_error (msg, SOUP_STATUS_UNAUTHORIZED, "scope_not_authorized",
                  "The user did not authorize the scope required for completing this request.");
  return FALSE;
}

/* Parses a JSON object body; sends 400 invalid_params on failure. */
JsonObject *
emu_parse_json_body (SoupServerMessage *msg)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  JsonNode *root;

  if (!emu_content_type_is (msg, "application/json", TRUE))
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                      "Content-Type must be application/json");
      return NULL;
    }

  text = emu_request_body_text (msg, &len);
  if (strlen (text) != len || !g_utf8_validate (text, len, NULL) ||
      !json_parser_load_from_data (parser, text, len, &error))
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                      "The request body is not valid JSON");
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                      "The request body must be a JSON object");
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

/* Strict JSON typing helpers: the member must exist with the given type. */
const char *
emu_json_get_string (JsonObject *object,
                     const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

gboolean
emu_json_get_int (JsonObject *object,
                  const char *name,
                  gint64     *out)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *out = json_node_get_int (node);
  return TRUE;
}

JsonObject *
emu_json_get_object (JsonObject *object,
                     const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

glong
emu_utf16_length (const char *text)
{
  glong written = 0;
  g_autofree gunichar2 *utf16 = g_utf8_to_utf16 (text, -1, NULL, &written, NULL);

  return utf16 != NULL ? written : G_MAXLONG;
}

gboolean
emu_url_is_verified (Emulator   *self,
                     const char *url)
{
  guint i;

  if (url == NULL || strstr (url, "/../") != NULL || strstr (url, "/./") != NULL ||
      !g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL))
    return FALSE;

  for (i = 0; self->verified_prefixes[i] != NULL; i++)
    {
      if (g_str_has_prefix (url, self->verified_prefixes[i]))
        return TRUE;
    }

  return FALSE;
}

/* During an "outage" fault, cut the connection without answering. */
gboolean
emu_cut_if_outage (Emulator          *self,
                   SoupServerMessage *msg)
{
  GSocket *socket;

  if (g_get_monotonic_time () >= self->outage_until ||
      g_str_has_prefix (g_uri_get_path (soup_server_message_get_uri (msg)), "/_emulator/"))
    return FALSE;

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_object_set_data (G_OBJECT (msg), "ttd-cut", GINT_TO_POINTER (1));
  socket = soup_server_message_get_socket (msg);
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  return TRUE;
}
