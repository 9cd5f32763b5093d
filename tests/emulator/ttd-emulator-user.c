/* ttd-emulator-user.c — GET /v2/user/info/
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "ttd-emulator-private.h"

void
emu_handle_user_info (Emulator          *self,
                      SoupServerMessage *msg,
                      GHashTable        *query,
                      Grant             *grant)
{
  static const char * const basic[] = {
    "open_id", "union_id", "avatar_url", "avatar_url_100", "avatar_large_url",
    "display_name", NULL
  };
  static const char * const profile[] = {
    "username", "bio_description", "profile_deep_link", "is_verified", NULL
  };
  static const char * const stats[] = {
    "follower_count", "following_count", "likes_count", "video_count", NULL
  };
  const char *fields = query != NULL ? g_hash_table_lookup (query, "fields") : NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(JsonObject) data = NULL;
  g_autofree char *avatar = NULL;
  JsonObject *user;
  guint i;

  if (fields == NULL || *fields == '\0')
    {
      emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params",
                      "The fields parameter is required");
      return;
    }

  names = g_strsplit (fields, ",", -1);
  for (i = 0; names[i] != NULL; i++)
    {
      if (!g_strv_contains (basic, names[i]) && !g_strv_contains (profile, names[i]) &&
          !g_strv_contains (stats, names[i]))
        {
          g_autofree char *message = g_strdup_printf ("Invalid field: %s", names[i]);

          emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_params", message);
          return;
        }
    }
  for (i = 0; names[i] != NULL; i++)
    {
      if ((g_strv_contains (profile, names[i]) && !emu_grant_has_scope (grant, "user.info.profile")) ||
          (g_strv_contains (stats, names[i]) && !emu_grant_has_scope (grant, "user.info.stats")))
        {
          emu_send_error (msg, SOUP_STATUS_BAD_REQUEST, "scope_permission_missed",
                          "Some requested fields need scopes the user has not granted.");
          return;
        }
    }

  avatar = g_strconcat (self->base_url, "/_emulator/avatar.png", NULL);
  data = json_object_new ();
  user = json_object_new ();
  for (i = 0; names[i] != NULL; i++)
    {
      const char *name = names[i];

      if (g_str_equal (name, "open_id"))
        json_object_set_string_member (user, name, grant->open_id);
      else if (g_str_equal (name, "union_id"))
        json_object_set_string_member (user, name, self->union_id);
      else if (g_str_has_prefix (name, "avatar_"))
        json_object_set_string_member (user, name, avatar);
      else if (g_str_equal (name, "display_name"))
        json_object_set_string_member (user, name, emu_user_display_name (self, grant->open_id));
      else if (g_str_equal (name, "username"))
        json_object_set_string_member (user, name, "demo.creator");
      else if (g_str_equal (name, "bio_description"))
        json_object_set_string_member (user, name, "Emulated TikTok account");
      else if (g_str_equal (name, "profile_deep_link"))
        json_object_set_string_member (user, name, "https://vm.tiktok.com/emulator/");
      else if (g_str_equal (name, "is_verified"))
        json_object_set_boolean_member (user, name, FALSE);
      else if (g_str_equal (name, "video_count"))
        json_object_set_int_member (user, name, self->drafts->len);
      else
        json_object_set_int_member (user, name, 42);
    }
  json_object_set_object_member (data, "user", user);
  emu_send_ok (msg, data);
}
