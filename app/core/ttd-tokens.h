/* ttd-tokens.h
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Refresh when less than this remains (seconds). */
#define TTD_TOKEN_REFRESH_MARGIN 300

/**
 * TtdTokens:
 *
 * One account's token pair with absolute expiry times (Unix seconds),
 * stored as one keyring item so a rotation replaces both at once, and the
 * account's TikTok display name (nullable; not a secret, kept with the
 * tokens so listing the accounts needs no request to TikTok).
 */
typedef struct
{
  char   *open_id;
  char   *access_token;
  char   *refresh_token;
  char   *scope;
  gint64  access_expires_at;
  gint64  refresh_expires_at;
  char   *display_name;
} TtdTokens;

#define TTD_TYPE_TOKENS (ttd_tokens_get_type ())

GType      ttd_tokens_get_type           (void) G_GNUC_CONST;
TtdTokens *ttd_tokens_copy               (const TtdTokens *self);
void       ttd_tokens_free               (TtdTokens       *self);
TtdTokens *ttd_tokens_new_from_response  (JsonObject      *object,
                                          gint64           now,
                                          GError         **error);
TtdTokens *ttd_tokens_new_from_json      (const char      *json,
                                          GError         **error);
char      *ttd_tokens_to_json            (const TtdTokens *self);
gboolean   ttd_tokens_has_scope          (const TtdTokens *self,
                                          const char      *scope);
gboolean   ttd_tokens_access_is_fresh    (const TtdTokens *self,
                                          gint64           now);
gboolean   ttd_tokens_refresh_is_valid   (const TtdTokens *self,
                                          gint64           now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtdTokens, ttd_tokens_free)

G_END_DECLS
