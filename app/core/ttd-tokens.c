/* ttd-tokens.c
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ttd-error.h"
#include "ttd-json.h"
#include "ttd-log.h"
#include "ttd-secure.h"
#include "ttd-tokens.h"

G_DEFINE_BOXED_TYPE (TtdTokens, ttd_tokens, ttd_tokens_copy, ttd_tokens_free)

TtdTokens *
ttd_tokens_copy (const TtdTokens *self)
{
  TtdTokens *copy = g_new0 (TtdTokens, 1);

  copy->open_id = g_strdup (self->open_id);
  copy->access_token = g_strdup (self->access_token);
  copy->refresh_token = g_strdup (self->refresh_token);
  copy->scope = g_strdup (self->scope);
  copy->display_name = g_strdup (self->display_name);
  copy->access_expires_at = self->access_expires_at;
  copy->refresh_expires_at = self->refresh_expires_at;

  return copy;
}

void
ttd_tokens_free (TtdTokens *self)
{
  if (self == NULL)
    return;

  g_free (self->open_id);
  ttd_secure_free (self->access_token);
  ttd_secure_free (self->refresh_token);
  g_free (self->scope);
  g_free (self->display_name);
  g_free (self);
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  /* json-glib passes lone surrogates through as invalid UTF-8. */
  if (!g_utf8_validate (json_node_get_string (node), -1, NULL))
    return NULL;

  return json_node_get_string (node);
}

static gboolean
get_int (JsonObject *object,
         const char *member,
         gint64     *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }

  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double number = json_node_get_double (node);

      /* Converting an out-of-range double is undefined behaviour. */
      if (!(number > -9223372036854775808.0 && number < 9223372036854775808.0))
        return FALSE;
      *value = (gint64) number;
      return TRUE;
    }

  return FALSE;
}

/**
 * ttd_tokens_new_from_response:
 * @object: the token endpoint's JSON (flat, no envelope)
 * @now: Unix time captured *before* the request was sent, so expiry errs
 *   on the early side
 *
 * Returns: (transfer full): the tokens, or %NULL when fields are missing.
 */
TtdTokens *
ttd_tokens_new_from_response (JsonObject  *object,
                              gint64       now,
                              GError     **error)
{
  g_autoptr(TtdTokens) self = g_new0 (TtdTokens, 1);
  const char *access_token = get_string (object, "access_token");
  const char *refresh_token = get_string (object, "refresh_token");
  const char *open_id = get_string (object, "open_id");
  gint64 expires_in = 0;
  gint64 refresh_expires_in = 0;

  if (access_token == NULL || *access_token == '\0' ||
      refresh_token == NULL || *refresh_token == '\0' ||
      open_id == NULL || *open_id == '\0' ||
      !get_int (object, "expires_in", &expires_in) ||
      !get_int (object, "refresh_expires_in", &refresh_expires_in) ||
      expires_in <= 0 || refresh_expires_in <= 0 ||
      expires_in > G_MAXINT64 - now || refresh_expires_in > G_MAXINT64 - now)
    {
      g_set_error_literal (error, TTD_ERROR, TTD_ERROR_PROTOCOL,
                           _("TikTok's sign-in answer was incomplete. Try signing in again."));
      return NULL;
    }

  ttd_log_add_secret (access_token);
  ttd_log_add_secret (refresh_token);

  self->open_id = g_strdup (open_id);
  self->access_token = g_strdup (access_token);
  self->refresh_token = g_strdup (refresh_token);
  self->scope = g_strdup (get_string (object, "scope"));
  self->access_expires_at = now + expires_in;
  self->refresh_expires_at = now + refresh_expires_in;

  return g_steal_pointer (&self);
}

TtdTokens *
ttd_tokens_new_from_json (const char  *json,
                          GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(TtdTokens) self = NULL;
  JsonObject *object;

  /* The keyring item is ours, but it is read like anything from outside:
   * bounded in size and depth before json-glib sees it. */
  if (json == NULL ||
      (root = ttd_json_parse_bounded (json, strlen (json), TTD_JSON_KEYRING_MAX, NULL)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    goto invalid;

  object = json_node_get_object (root);
  self = g_new0 (TtdTokens, 1);
  self->open_id = g_strdup (get_string (object, "open_id"));
  self->access_token = g_strdup (get_string (object, "access_token"));
  self->refresh_token = g_strdup (get_string (object, "refresh_token"));
  self->scope = g_strdup (get_string (object, "scope"));
  self->display_name = g_strdup (get_string (object, "display_name"));

  if (self->open_id == NULL || self->access_token == NULL || self->refresh_token == NULL ||
      !get_int (object, "access_expires_at", &self->access_expires_at) ||
      !get_int (object, "refresh_expires_at", &self->refresh_expires_at))
    goto invalid;

  ttd_log_add_secret (self->access_token);
  ttd_log_add_secret (self->refresh_token);

  return g_steal_pointer (&self);

invalid:
  g_set_error_literal (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED,
                       _("The saved TikTok sign-in could not be read. Sign in again."));
  return NULL;
}

char *
ttd_tokens_to_json (const TtdTokens *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "open_id");
  json_builder_add_string_value (builder, self->open_id);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, self->access_token);
  json_builder_set_member_name (builder, "refresh_token");
  json_builder_add_string_value (builder, self->refresh_token);
  json_builder_set_member_name (builder, "scope");
  json_builder_add_string_value (builder, self->scope ? self->scope : "");
  if (self->display_name != NULL)
    {
      json_builder_set_member_name (builder, "display_name");
      json_builder_add_string_value (builder, self->display_name);
    }
  json_builder_set_member_name (builder, "access_expires_at");
  json_builder_add_int_value (builder, self->access_expires_at);
  json_builder_set_member_name (builder, "refresh_expires_at");
  json_builder_add_int_value (builder, self->refresh_expires_at);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

gboolean
ttd_tokens_has_scope (const TtdTokens *self,
                      const char      *scope)
{
  g_auto(GStrv) scopes = NULL;

  if (self->scope == NULL)
    return FALSE;

  scopes = g_strsplit (self->scope, ",", -1);
  for (guint i = 0; scopes[i] != NULL; i++)
    if (g_str_equal (g_strstrip (scopes[i]), scope))
      return TRUE;

  return FALSE;
}

gboolean
ttd_tokens_access_is_fresh (const TtdTokens *self,
                            gint64           now)
{
  return now <= G_MAXINT64 - TTD_TOKEN_REFRESH_MARGIN &&
         self->access_expires_at > now + TTD_TOKEN_REFRESH_MARGIN;
}

gboolean
ttd_tokens_refresh_is_valid (const TtdTokens *self,
                             gint64           now)
{
  return self->refresh_expires_at > now;
}
