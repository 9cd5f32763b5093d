/* fuzz-api-oauth.c — the flat OAuth answers (token, refresh, revoke):
 * ttd_api_parse_oauth, then ttd_tokens_new_from_response on a success and
 * a ttd_tokens_to_json -> ttd_tokens_new_from_json round trip.
 *
 * Input: optional "NNN\n" HTTP status, then the response body.
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "fuzz-common.h"

#include "ttd-api-client.h"
#include "ttd-error.h"
#include "ttd-tokens.h"

/* A fixed "now" keeps runs reproducible (2023-11-14T22:13:20Z). */
#define FUZZ_NOW ((gint64) 1700000000)

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdTokens) tokens = NULL;
  guint status;

  fuzz_init_once ();

  body = fuzz_split_http (data, size, &status);
  object = ttd_api_parse_oauth (status, body, &error);

  FUZZ_CHECK ((object == NULL) != (error == NULL));
  if (object == NULL)
    {
      FUZZ_CHECK (error->domain == TTD_ERROR && error->message != NULL);
      return 0;
    }

  /* TikTok sends invalid_grant with 200: success is never an error member. */
  FUZZ_CHECK (status >= 200 && status < 300);

  g_clear_error (&error);
  tokens = ttd_tokens_new_from_response (object, FUZZ_NOW, &error);
  FUZZ_CHECK ((tokens == NULL) != (error == NULL));
  if (tokens == NULL)
    return 0;

  FUZZ_CHECK (tokens->access_token != NULL && *tokens->access_token != '\0');
  FUZZ_CHECK (tokens->refresh_token != NULL && *tokens->refresh_token != '\0');
  FUZZ_CHECK (tokens->open_id != NULL && *tokens->open_id != '\0');
  /* Positive lifetimes give expiries after "now". */
  FUZZ_CHECK (tokens->access_expires_at > FUZZ_NOW);
  FUZZ_CHECK (tokens->refresh_expires_at > FUZZ_NOW);
  FUZZ_CHECK (ttd_tokens_refresh_is_valid (tokens, FUZZ_NOW));
  (void) ttd_tokens_access_is_fresh (tokens, FUZZ_NOW);
  (void) ttd_tokens_has_scope (tokens, "video.upload");

  /* What goes into the keyring comes back unchanged. */
  {
    g_autofree char *json = ttd_tokens_to_json (tokens);
    g_autoptr(GError) load_error = NULL;
    g_autoptr(TtdTokens) loaded = ttd_tokens_new_from_json (json, &load_error);

    FUZZ_CHECK (json != NULL);
    FUZZ_CHECK (loaded != NULL && load_error == NULL);
    FUZZ_CHECK (g_str_equal (loaded->open_id, tokens->open_id));
    FUZZ_CHECK (g_str_equal (loaded->access_token, tokens->access_token));
    FUZZ_CHECK (g_str_equal (loaded->refresh_token, tokens->refresh_token));
    FUZZ_CHECK (g_strcmp0 (loaded->scope, tokens->scope ? tokens->scope : "") == 0);
    FUZZ_CHECK (loaded->access_expires_at == tokens->access_expires_at);
    FUZZ_CHECK (loaded->refresh_expires_at == tokens->refresh_expires_at);
  }

  return 0;
}
