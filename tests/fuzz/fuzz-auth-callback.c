/* fuzz-auth-callback.c — the loopback redirect's query string:
 * ttd_auth_parse_callback.
 *
 * Input: the raw query (what follows '?' in the callback request).
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "fuzz-common.h"

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "ttd-auth-flow.h"
#include "ttd-error.h"

/* The state this attempt "sent"; the seeds carry it. */
#define FUZZ_STATE "Xq3n7F0sQm2LzK8vR1tYw"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *query = NULL;
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  fuzz_init_once ();

  query = fuzz_strndup (data, size);
  ok = ttd_auth_parse_callback (query, FUZZ_STATE, &code, &error);

  FUZZ_CHECK (ok == (error == NULL));
  FUZZ_CHECK (ok == (code != NULL));

  {
    /* An independent decode of the same query: the verdict must follow
     * state first, then error, then code (tiktok-api.md §2.5). */
    g_autoptr(GHashTable) params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
    g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    GUriParamsIter iter;
    char *name;
    char *value;
    gboolean repeated = FALSE;
    const char *state;
    const char *err;
    const char *expected_code;

    /* A malformed query, or one that names a parameter twice, is not taken
     * at all: which of two states was meant is anyone's guess. */
    g_uri_params_iter_init (&iter, query, -1, "&", G_URI_PARAMS_WWW_FORM);
    while (g_uri_params_iter_next (&iter, &name, &value, NULL))
      {
        repeated |= g_hash_table_contains (seen, name);
        g_hash_table_replace (seen, name, value);
      }
    state = params && !repeated ? g_hash_table_lookup (params, "state") : NULL;
    err = params ? g_hash_table_lookup (params, "error") : NULL;
    expected_code = params ? g_hash_table_lookup (params, "code") : NULL;

    if (g_strcmp0 (state, FUZZ_STATE) != 0)
      {
        /* Not ours: must be ignored, never accepted or reported. */
        FUZZ_CHECK (!ok);
        FUZZ_CHECK (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA));
        return 0;
      }

    if (err != NULL && *err != '\0')
      {
        FUZZ_CHECK (!ok);
        FUZZ_CHECK (error->domain == TTD_ERROR);
        return 0;
      }

    if (expected_code == NULL || *expected_code == '\0')
      {
        FUZZ_CHECK (!ok);
        FUZZ_CHECK (g_error_matches (error, TTD_ERROR, TTD_ERROR_PROTOCOL));
        return 0;
      }

    FUZZ_CHECK (ok);
    /* URL-decoded exactly once (codes contain '*' and '!'). */
    FUZZ_CHECK (g_str_equal (code, expected_code));
  }

  return 0;
}
