/* fuzz-tokens-json.c — the keyring item's secret: ttd_tokens_new_from_json,
 * the checks run on loaded tokens, and a save/load round trip.
 *
 * Input: the secret's text.
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "fuzz-common.h"

#include "ttd-error.h"
#include "ttd-tokens.h"

#define FUZZ_NOW ((gint64) 1700000000)

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdTokens) tokens = NULL;

  fuzz_init_once ();

  text = fuzz_strndup (data, size);
  tokens = ttd_tokens_new_from_json (text, &error);

  FUZZ_CHECK ((tokens == NULL) != (error == NULL));
  if (tokens == NULL)
    {
      /* An unreadable item means "sign in again", never a crash. */
      FUZZ_CHECK (g_error_matches (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED));
      return 0;
    }

  FUZZ_CHECK (tokens->open_id != NULL && tokens->access_token != NULL &&
              tokens->refresh_token != NULL);

  /* What ttd_account runs on every loaded item. */
  (void) ttd_tokens_access_is_fresh (tokens, FUZZ_NOW);
  (void) ttd_tokens_refresh_is_valid (tokens, FUZZ_NOW);
  (void) ttd_tokens_has_scope (tokens, "video.upload");

  {
    g_autoptr(TtdTokens) copy = ttd_tokens_copy (tokens);
    g_autofree char *json = ttd_tokens_to_json (copy);
    g_autoptr(GError) load_error = NULL;
    g_autoptr(TtdTokens) loaded = ttd_tokens_new_from_json (json, &load_error);

    FUZZ_CHECK (loaded != NULL && load_error == NULL);
    FUZZ_CHECK (g_str_equal (loaded->open_id, tokens->open_id));
    FUZZ_CHECK (g_str_equal (loaded->access_token, tokens->access_token));
    FUZZ_CHECK (g_str_equal (loaded->refresh_token, tokens->refresh_token));
    FUZZ_CHECK (loaded->access_expires_at == tokens->access_expires_at);
    FUZZ_CHECK (loaded->refresh_expires_at == tokens->refresh_expires_at);
  }

  return 0;
}
