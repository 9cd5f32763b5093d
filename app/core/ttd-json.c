/* ttd-json.c — JSON from outside (the network, files), parsed with bounds
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ttd-error.h"
#include "ttd-json.h"

/**
 * ttd_json_check_bounds:
 * @max_depth: how many arrays and objects may be open at once
 *
 * A cheap scan before parsing: refuses text longer than @max_size and text
 * whose brackets nest deeper than @max_depth. Brackets inside strings
 * (escaped quotes included) do not count.
 */
gboolean
ttd_json_check_bounds (const char  *data,
                       gsize        size,
                       gsize        max_size,
                       guint        max_depth,
                       GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  if (size > max_size)
    {
      g_autofree char *limit = g_format_size (max_size);

      g_set_error (error, TTD_ERROR, TTD_ERROR_PROTOCOL,
                   /* Translators: %s is a size such as “1.0 MB” */
                   _("The data is larger than %s, which TikTok Drafts does not read."), limit);
      return FALSE;
    }

  for (gsize i = 0; i < size; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;                 /* the escaped character cannot end the string */
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;

        case '[':
        case '{':
          if (++depth > max_depth)
            {
              g_set_error (error, TTD_ERROR, TTD_ERROR_PROTOCOL,
                           _("The data is nested more than %u levels deep, which TikTok Drafts does not read."),
                           max_depth);
              return FALSE;
            }
          break;

        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;

        default:
          break;
        }
    }

  return TRUE;
}

/**
 * ttd_json_parse_bounded:
 * @max_size: the most bytes to accept
 *
 * Parses JSON that came from outside, after ttd_json_check_bounds() with
 * %TTD_JSON_MAX_DEPTH.
 *
 * Returns: (transfer full): the root node; %NULL with @error set when the
 *   text is too big, too deep or not JSON, and %NULL without an error when
 *   it is blank.
 */
JsonNode *
ttd_json_parse_bounded (const char  *data,
                        gsize        size,
                        gsize        max_size,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (!ttd_json_check_bounds (data, size, max_size, TTD_JSON_MAX_DEPTH, error))
    return NULL;

  if (size == 0)
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, size, error))
    return NULL;

  root = json_parser_get_root (parser);   /* whitespace parses to no root */

  return root != NULL ? json_node_ref (root) : NULL;
}

/**
 * ttd_json_load_file_bounded:
 *
 * Like ttd_json_parse_bounded() for a file, which is not read at all when
 * it is larger than @max_size.
 */
JsonNode *
ttd_json_load_file_bounded (const char  *path,
                            gsize        max_size,
                            GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return NULL;

  if ((guint64) g_file_info_get_size (info) > max_size)
    return ttd_json_parse_bounded (NULL, (gsize) g_file_info_get_size (info), max_size, error);

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, error))
    return NULL;

  return ttd_json_parse_bounded (contents, length, max_size, error);
}

/**
 * ttd_json_clean_strings:
 *
 * Replaces every string value under @node (not member names) with
 * ttd_text_clean()'s version, so that no text a server sent carries
 * control characters into a terminal or a window.
 */
void
ttd_json_clean_strings (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, NULL, &member))
          ttd_json_clean_strings (member);
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          ttd_json_clean_strings (json_array_get_element (array, i));
      }
      break;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          const char *text = json_node_get_string (node);
          g_autofree char *clean = ttd_text_clean (text, -1, FALSE);

          if (g_strcmp0 (text, clean) != 0)
            json_node_set_string (node, clean);
        }
      break;

    case JSON_NODE_NULL:
    default:
      break;
    }
}
