/* test-token-store.c — the memory store, and libsecret against a real
 * gnome-keyring (run through run-in-session.sh)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ttd-core.h"

static TtdTokens *
make_tokens (const char *open_id,
             const char *suffix)
{
  TtdTokens *tokens = g_new0 (TtdTokens, 1);

  tokens->open_id = g_strdup (open_id);
  tokens->access_token = g_strconcat ("act.access-", suffix, NULL);
  tokens->refresh_token = g_strconcat ("rft.refresh-", suffix, NULL);
  tokens->scope = g_strdup ("user.info.basic,video.upload");
  tokens->access_expires_at = 2000000000;
  tokens->refresh_expires_at = 2100000000;

  return tokens;
}

static void
exercise_store (TtdTokenStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdTokens) first = make_tokens ("user-a", "1");
  g_autoptr(TtdTokens) second = make_tokens ("user-b", "2");
  g_autoptr(TtdTokens) loaded = NULL;
  g_autofree char *pending = NULL;

  g_assert_true (ttd_token_store_clear (store, NULL, NULL, &error));
  g_assert_no_error (error);
  loaded = ttd_token_store_load (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);

  g_assert_true (ttd_token_store_save (store, first, NULL, &error));
  g_assert_no_error (error);
  loaded = ttd_token_store_load (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->open_id, ==, "user-a");
  g_assert_cmpstr (loaded->access_token, ==, "act.access-1");
  g_assert_cmpint (loaded->refresh_expires_at, ==, 2100000000);
  g_clear_pointer (&loaded, ttd_tokens_free);

  /* A new sign-in replaces the old account. */
  g_assert_true (ttd_token_store_save (store, second, NULL, &error));
  loaded = ttd_token_store_load (store, NULL, &error);
  g_assert_cmpstr (loaded->open_id, ==, "user-b");
  g_clear_pointer (&loaded, ttd_tokens_free);

  /* Rotation replaces both tokens at once. */
  g_free (second->refresh_token);
  second->refresh_token = g_strdup ("rft.rotated");
  g_assert_true (ttd_token_store_save (store, second, NULL, &error));
  loaded = ttd_token_store_load (store, NULL, &error);
  g_assert_cmpstr (loaded->refresh_token, ==, "rft.rotated");
  g_clear_pointer (&loaded, ttd_tokens_free);

  g_assert_true (ttd_token_store_save_pending (store, "{\"code_verifier\":\"v\"}", NULL, &error));
  pending = ttd_token_store_load_pending (store, NULL, &error);
  g_assert_cmpstr (pending, ==, "{\"code_verifier\":\"v\"}");
  g_assert_true (ttd_token_store_save_pending (store, NULL, NULL, &error));
  g_clear_pointer (&pending, g_free);
  pending = ttd_token_store_load_pending (store, NULL, &error);
  g_assert_null (pending);

  g_assert_true (ttd_token_store_clear (store, "user-b", NULL, &error));
  g_assert_no_error (error);
  loaded = ttd_token_store_load (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);
}

static void
test_memory_store (void)
{
  g_autoptr(TtdTokenStore) store = ttd_memory_token_store_new ();

  exercise_store (store);
}

static void
test_secret_store (void)
{
  g_autoptr(TtdTokenStore) store = NULL;

  if (g_getenv ("TTD_IN_SESSION") == NULL)
    {
      /* Counted as a failure: this test is only registered in the keyring
       * suite, which always runs inside run-in-session.sh. */
      g_test_fail_printf ("needs a real gnome-keyring: run through tests/run-in-session.sh");
      return;
    }

  store = ttd_secret_token_store_new ();
  exercise_store (store);
}

static void
test_client_secret (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;

  if (g_getenv ("TTD_IN_SESSION") == NULL)
    {
      g_test_fail_printf ("needs a real gnome-keyring: run through tests/run-in-session.sh");
      return;
    }

  g_assert_true (ttd_secret_store_client_secret ("key-1", "the-secret", NULL, &error));
  g_assert_no_error (error);
  secret = ttd_secret_lookup_client_secret ("key-1", NULL, &error);
  g_assert_cmpstr (secret, ==, "the-secret");
  g_clear_pointer (&secret, g_free);
  secret = ttd_secret_lookup_client_secret ("key-2", NULL, &error);
  g_assert_null (secret);
  g_assert_true (ttd_secret_store_client_secret ("key-1", NULL, NULL, &error));
  secret = ttd_secret_lookup_client_secret ("key-1", NULL, &error);
  g_assert_null (secret);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ttd/token-store/memory", test_memory_store);
  if (g_getenv ("TTD_IN_SESSION") != NULL)
    {
      g_test_add_func ("/ttd/token-store/secret", test_secret_store);
      g_test_add_func ("/ttd/token-store/client-secret", test_client_secret);
    }

  return g_test_run ();
}
