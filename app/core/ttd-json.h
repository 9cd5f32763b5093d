/* ttd-json.h — JSON from outside (the network, files), parsed with bounds
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* json-glib 1.6 parses recursively: a deep enough `[[[[…` overflows the
 * stack. Nothing TikTok Drafts reads is nested more than a few levels. */
#define TTD_JSON_MAX_DEPTH 64

/* What TikTok Drafts keeps in the keyring (tokens, a pending sign-in) is
 * a few hundred bytes. */
#define TTD_JSON_KEYRING_MAX (64 * 1024)

gboolean  ttd_json_check_bounds     (const char  *data,
                                     gsize        size,
                                     gsize        max_size,
                                     guint        max_depth,
                                     GError     **error);
JsonNode *ttd_json_parse_bounded    (const char  *data,
                                     gsize        size,
                                     gsize        max_size,
                                     GError     **error);
JsonNode *ttd_json_load_file_bounded (const char *path,
                                     gsize        max_size,
                                     GError     **error);
void      ttd_json_clean_strings    (JsonNode    *node);

G_END_DECLS
