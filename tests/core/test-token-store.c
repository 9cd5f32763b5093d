/* test-token-store.c — the memory store, and libsecret against a real
 * gnome-keyring (run through run-in-session.sh)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

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
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *default_id = NULL;

  g_assert_true (ttd_token_store_clear (store, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ttd_token_store_set_default (store, NULL, NULL, &error));
  g_assert_no_error (error);
  loaded = ttd_token_store_load (store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);

  first->display_name = g_strdup ("Brand “A”");
  g_assert_true (ttd_token_store_save (store, first, NULL, &error));
  g_assert_no_error (error);
  loaded = ttd_token_store_load (store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->open_id, ==, "user-a");
  g_assert_cmpstr (loaded->access_token, ==, "act.access-1");
  g_assert_cmpstr (loaded->display_name, ==, "Brand “A”");
  g_assert_cmpint (loaded->refresh_expires_at, ==, 2100000000);
  g_clear_pointer (&loaded, ttd_tokens_free);

  /* A second account is added beside the first, not instead of it; with
   * no default set, the newest sign-in is the default. */
  g_usleep (1100 * 1000);       /* the keyring's modified times are in seconds */
  g_assert_true (ttd_token_store_save (store, second, NULL, &error));
  loaded = ttd_token_store_load (store, NULL, NULL, &error);
  g_assert_cmpstr (loaded->open_id, ==, "user-b");
  g_clear_pointer (&loaded, ttd_tokens_free);
  loaded = ttd_token_store_load (store, "user-a", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->access_token, ==, "act.access-1");
  g_clear_pointer (&loaded, ttd_tokens_free);
  all = ttd_token_store_list (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpstr (((TtdTokens *) all->pdata[0])->open_id, ==, "user-b");
  g_assert_cmpstr (((TtdTokens *) all->pdata[1])->open_id, ==, "user-a");
  g_clear_pointer (&all, g_ptr_array_unref);

  /* The default, once set, wins over the newest. */
  g_assert_true (ttd_token_store_set_default (store, "user-a", NULL, &error));
  default_id = ttd_token_store_dup_default (store, NULL, &error);
  g_assert_cmpstr (default_id, ==, "user-a");
  loaded = ttd_token_store_load (store, NULL, NULL, &error);
  g_assert_cmpstr (loaded->open_id, ==, "user-a");
  g_clear_pointer (&loaded, ttd_tokens_free);

  /* Rotation replaces both tokens of that account at once. */
  g_free (second->refresh_token);
  second->refresh_token = g_strdup ("rft.rotated");
  g_assert_true (ttd_token_store_save (store, second, NULL, &error));
  loaded = ttd_token_store_load (store, "user-b", NULL, &error);
  g_assert_cmpstr (loaded->refresh_token, ==, "rft.rotated");
  g_clear_pointer (&loaded, ttd_tokens_free);
  all = ttd_token_store_list (store, NULL, &error);
  g_assert_cmpuint (all->len, ==, 2);
  g_clear_pointer (&all, g_ptr_array_unref);

  g_assert_true (ttd_token_store_save_pending (store, "{\"code_verifier\":\"v\"}", NULL, &error));
  pending = ttd_token_store_load_pending (store, NULL, &error);
  g_assert_cmpstr (pending, ==, "{\"code_verifier\":\"v\"}");
  g_assert_true (ttd_token_store_save_pending (store, NULL, NULL, &error));
  g_clear_pointer (&pending, g_free);
  pending = ttd_token_store_load_pending (store, NULL, &error);
  g_assert_null (pending);

  /* Signing out of one leaves the other; a default that is gone falls
   * back to the newest sign-in left. */
  g_assert_true (ttd_token_store_clear (store, "user-a", NULL, &error));
  g_assert_no_error (error);
  loaded = ttd_token_store_load (store, "user-a", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);
  loaded = ttd_token_store_load (store, NULL, NULL, &error);
  g_assert_cmpstr (loaded->open_id, ==, "user-b");
  g_clear_pointer (&loaded, ttd_tokens_free);

  g_assert_true (ttd_token_store_clear (store, "user-b", NULL, &error));
  g_assert_true (ttd_token_store_set_default (store, NULL, NULL, &error));
  loaded = ttd_token_store_load (store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);
}

static void
test_memory_store (void)
{
  g_autoptr(TtdTokenStore) store = ttd_memory_token_store_new ();

  exercise_store (store);
}

/* The libsecret tests need the private D-Bus session and unlocked
 * gnome-keyring that tests/run-in-session.sh sets up (the keyring suite).
 * Elsewhere (the core suite) they are reported as skipped, never silently
 * left out. */
static gboolean
skip_without_keyring (void)
{
  if (g_getenv ("TTD_IN_SESSION") != NULL)
    return FALSE;

  g_test_skip ("needs a real gnome-keyring in a D-Bus session: "
               "the keyring suite runs it through tests/run-in-session.sh");
  return TRUE;
}

static void
test_secret_store (void)
{
  g_autoptr(TtdTokenStore) store = NULL;

  if (skip_without_keyring ())
    return;

  store = ttd_secret_token_store_new ();
  exercise_store (store);
}

static void
test_client_secret (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;

  if (skip_without_keyring ())
    return;

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

/* A token endpoint that refuses every refresh, as TikTok does a refresh
 * token that was already spent. Before answering it can let "another
 * process" store a newer sign-in, which the refusal must not delete. */
typedef struct
{
  TtdTokenStore *store;
  TtdTokens     *saved_meanwhile;
  GMainContext  *context;
  SoupServer    *server;
  guint          port;
  gboolean       stop;
} RefusingServer;

static void
refuse_refresh (SoupServer        *server,
                SoupServerMessage *message,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  RefusingServer *refusing = user_data;
  const char *body = "{\"error\":\"invalid_grant\",\"error_description\":\"Refresh token is invalid or expired.\",\"log_id\":\"L1\"}";

  if (refusing->saved_meanwhile != NULL)
    ttd_token_store_save (refusing->store, refusing->saved_meanwhile, NULL, NULL);
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
}

static gpointer
server_thread (gpointer data)
{
  RefusingServer *refusing = data;

  g_main_context_push_thread_default (refusing->context);
  while (!g_atomic_int_get (&refusing->stop))
    g_main_context_iteration (refusing->context, TRUE);
  g_main_context_pop_thread_default (refusing->context);

  return NULL;
}

/* Signs in with tokens "1", lets the refresh be refused, and returns what
 * the store holds afterwards. */
static TtdTokens *
refresh_refused (TtdTokens *saved_meanwhile)
{
  g_autoptr(TtdTokenStore) store = ttd_memory_token_store_new ();
  g_autoptr(TtdTokens) signed_in = make_tokens ("user-a", "1");
  g_autoptr(TtdConfig) config = ttd_config_new ();
  g_autoptr(TtdAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  RefusingServer refusing = { store, saved_meanwhile, g_main_context_new (), NULL, 0, FALSE };
  GSList *uris;
  GThread *thread;

  g_main_context_push_thread_default (refusing.context);
  refusing.server = soup_server_new (NULL, NULL);
  g_assert_true (soup_server_listen_local (refusing.server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  soup_server_add_handler (refusing.server, "/v2/oauth/token/", refuse_refresh, &refusing, NULL);
  uris = soup_server_get_uris (refusing.server);
  refusing.port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_main_context_pop_thread_default (refusing.context);
  thread = g_thread_new ("refusing-server", server_thread, &refusing);

  base = g_strdup_printf ("http://127.0.0.1:%u", refusing.port);
  ttd_config_set (&config->api_base, base);
  ttd_config_set (&config->client_key, "demo-client-key");
  ttd_config_set (&config->client_secret, "demo-client-secret");
  g_assert_true (ttd_token_store_save (store, signed_in, NULL, NULL));
  account = ttd_account_new (config, store);
  g_assert_true (ttd_account_load (account, NULL, NULL));

  g_assert_false (ttd_account_refresh (account, NULL, &error));
  g_assert_error (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED);
  g_assert_false (ttd_account_is_signed_in (account));

  g_atomic_int_set (&refusing.stop, TRUE);
  g_main_context_wakeup (refusing.context);
  g_thread_join (thread);
  g_clear_object (&refusing.server);
  g_main_context_unref (refusing.context);

  return ttd_token_store_load (store, NULL, NULL, NULL);
}

static void
test_refused_refresh (void)
{
  g_autoptr(TtdTokens) newer = make_tokens ("user-a", "2");
  g_autoptr(TtdTokens) left = NULL;

  /* The refused pair is still the stored one: it is deleted. */
  left = refresh_refused (NULL);
  g_assert_null (left);

  /* Another process stored a newer pair meanwhile: it survives. */
  newer->access_expires_at += 3600;
  left = refresh_refused (newer);
  g_assert_nonnull (left);
  g_assert_cmpstr (left->refresh_token, ==, "rft.refresh-2");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ttd/token-store/memory", test_memory_store);
  g_test_add_func ("/ttd/token-store/refused-refresh", test_refused_refresh);
  g_test_add_func ("/ttd/token-store/secret", test_secret_store);
  g_test_add_func ("/ttd/token-store/client-secret", test_client_secret);

  return g_test_run ();
}
