/* test-api-client-security.c — what the API client and the photo host
 * refuse to send or to follow (issue 15): plain http off this computer,
 * redirects, oversized answers, an upload address without https.
 *
 * A SoupServer on 127.0.0.1, in its own thread, plays TikTok (and, for
 * the plain-http base, an HTTP proxy that every request would go through:
 * nothing here ever reaches another machine, even when a check is missing).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ttd-core.h"

#define INSECURE_BASE "http://192.0.2.1:9"    /* TEST-NET-1 */
#define OK_ENVELOPE   "{\"error\":{\"code\":\"ok\",\"message\":\"\"},\"data\":{}}"

typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  char         *url;          /* http://127.0.0.1:<port> */
  GMutex        lock;
  GCond         ready;

  /* what the next answers are; set before each request */
  guint         status;
  char         *location;     /* a path on this server */
  GBytes       *body;

  int           requests;     /* atomic: every request, proxied ones too */
  int           target_hits;  /* atomic: requests to /target/ */
} Server;

static Server server;

static void
handle (SoupServer        *soup_server,
        SoupServerMessage *message,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&server.lock);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);

  if (g_str_has_prefix (path, "/target/"))
    {
      g_atomic_int_inc (&server.target_hits);
      soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC,
                                        OK_ENVELOPE, strlen (OK_ENVELOPE));
      return;
    }

  soup_server_message_set_status (message, server.status, NULL);
  if (server.location != NULL)
    {
      g_autofree char *location = g_strconcat (server.url, server.location, NULL);

      soup_message_headers_replace (headers, "Location", location);
    }
  if (server.body != NULL)
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (server.body, &size);

      soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY, data, size);
    }
}

static void
request_started_cb (SoupServer        *soup_server,
                    SoupServerMessage *message,
                    gpointer           user_data)
{
  g_atomic_int_inc (&server.requests);
}

static gpointer
server_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (server.context);
  server.server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server.server, NULL, handle, NULL, NULL);
  g_signal_connect (server.server, "request-started", G_CALLBACK (request_started_cb), NULL);
  soup_server_listen_local (server.server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (server.server);
  g_mutex_lock (&server.lock);
  server.url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_cond_signal (&server.ready);
  g_mutex_unlock (&server.lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (server.loop);

  g_clear_object (&server.server);
  g_main_context_pop_thread_default (server.context);
  return NULL;
}

static void
server_start (void)
{
  g_mutex_init (&server.lock);
  g_cond_init (&server.ready);
  server.context = g_main_context_new ();
  server.loop = g_main_loop_new (server.context, FALSE);

  g_mutex_lock (&server.lock);
  server.thread = g_thread_new ("test-server", server_thread, NULL);
  while (server.url == NULL)
    g_cond_wait (&server.ready, &server.lock);
  g_mutex_unlock (&server.lock);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (server.loop);
  return G_SOURCE_REMOVE;
}

static void
server_stop (void)
{
  g_main_context_invoke (server.context, quit_cb, NULL);
  g_thread_join (server.thread);
  g_main_loop_unref (server.loop);
  g_main_context_unref (server.context);
  g_free (server.url);
  g_free (server.location);
  g_clear_pointer (&server.body, g_bytes_unref);
}

/* The next answers: @status, a Location on this server, a body. */
static void
server_answer (guint       status,
               const char *location,
               GBytes     *body)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&server.lock);

  server.status = status;
  g_free (server.location);
  server.location = g_strdup (location);
  g_clear_pointer (&server.body, g_bytes_unref);
  server.body = body != NULL ? g_bytes_ref (body) : NULL;
  g_atomic_int_set (&server.requests, 0);
  g_atomic_int_set (&server.target_hits, 0);
}

static void
server_answer_text (guint       status,
                    const char *location,
                    const char *text)
{
  g_autoptr(GBytes) body = text != NULL ? g_bytes_new (text, strlen (text)) : NULL;

  server_answer (status, location, body);
}

static TtdApiClient *
client_for (const char *api_base)
{
  g_autoptr(TtdConfig) config = ttd_config_new ();

  ttd_config_set (&config->client_key, "awtestkey");
  ttd_config_set (&config->client_secret, "test-client-secret-0123");
  ttd_config_set (&config->api_base, api_base);

  return ttd_api_client_new (config);
}

static void
assert_refused (GError     *error,
                const char *why)
{
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (error->domain == TTD_ERROR);
  g_assert_nonnull (strstr (error->message, why));
}

/* #1: every endpoint, the token endpoint included, refuses plain http to
 * another machine before sending anything. The session goes through a
 * proxy on 127.0.0.1, which would see any request that went out. */
static void
test_insecure_base (void)
{
  g_autoptr(TtdApiClient) client = client_for (INSECURE_BASE);
  g_autoptr(GProxyResolver) proxy = g_simple_proxy_resolver_new (server.url, NULL);
  const char *images[] = { "https://photos.example/ttd-1.jpg", NULL };
  g_autoptr(GError) error = NULL;
  char *publish_id = NULL;
  char *upload_url = NULL;

  soup_session_set_proxy_resolver (ttd_api_client_get_session (client), proxy);
  server_answer_text (SOUP_STATUS_OK, NULL, OK_ENVELOPE);

  g_assert_null (ttd_api_client_exchange_code (client, "code-0123456789", "https://example.com/cb",
                                               NULL, NULL, &error));
  assert_refused (error, "must use https");
  g_assert_nonnull (strstr (error->message, INSECURE_BASE));
  g_clear_error (&error);

  g_assert_null (ttd_api_client_refresh (client, "rft.0123456789", NULL, &error));
  assert_refused (error, "must use https");
  g_clear_error (&error);

  g_assert_false (ttd_api_client_revoke (client, "act.0123456789", NULL, &error));
  assert_refused (error, "must use https");
  g_clear_error (&error);

  g_assert_null (ttd_api_client_fetch_user_info (client, "act.0123456789", NULL, &error));
  assert_refused (error, "must use https");
  g_clear_error (&error);

  g_assert_false (ttd_api_client_init_inbox_video (client, "act.0123456789", 1000, 1000, 1,
                                                   &publish_id, &upload_url, NULL, &error));
  assert_refused (error, "must use https");
  g_clear_error (&error);

  g_assert_null (ttd_api_client_init_photo_draft (client, "act.0123456789", "t", NULL, images, 0,
                                                  NULL, &error));
  assert_refused (error, "must use https");
  g_clear_error (&error);

  g_assert_null (ttd_api_client_fetch_status (client, "act.0123456789", "p1", NULL, &error));
  assert_refused (error, "must use https");
  g_clear_error (&error);

  g_assert_cmpint (g_atomic_int_get (&server.requests), ==, 0);
}

/* ...while plain http on this computer (the emulator) keeps working. */
static void
test_loopback_base (void)
{
  g_autoptr(TtdApiClient) client = client_for (server.url);
  g_autoptr(TtdPublishStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  server_answer_text (SOUP_STATUS_OK, NULL,
                      "{\"error\":{\"code\":\"ok\"},\"data\":{\"status\":\"PROCESSING_UPLOAD\"}}");
  status = ttd_api_client_fetch_status (client, "act.0123456789", "p1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status->status, ==, "PROCESSING_UPLOAD");
  g_assert_cmpint (g_atomic_int_get (&server.requests), ==, 1);
}

/* #7: a redirect is an error, and its target sees nothing: not the bearer
 * token (GET), not the client secret (307 re-sends a POST's body). */
static void
test_api_redirects (void)
{
  g_autoptr(TtdApiClient) client = client_for (server.url);
  g_autoptr(GError) error = NULL;

  server_answer_text (SOUP_STATUS_FOUND, "/target/", NULL);
  g_assert_null (ttd_api_client_fetch_user_info (client, "act.0123456789", NULL, &error));
  assert_refused (error, "redirect");
  g_assert_cmpint (g_atomic_int_get (&server.target_hits), ==, 0);
  g_clear_error (&error);

  server_answer_text (SOUP_STATUS_TEMPORARY_REDIRECT, "/target/", NULL);
  g_assert_null (ttd_api_client_refresh (client, "rft.0123456789", NULL, &error));
  assert_refused (error, "redirect");
  g_assert_cmpint (g_atomic_int_get (&server.target_hits), ==, 0);
  g_clear_error (&error);

  server_answer_text (SOUP_STATUS_PERMANENT_REDIRECT, "/target/", NULL);
  g_assert_null (ttd_api_client_fetch_status (client, "act.0123456789", "p1", NULL, &error));
  assert_refused (error, "redirect");
  g_assert_cmpint (g_atomic_int_get (&server.target_hits), ==, 0);
}

/* #5: an answer is read up to 1 MiB, and refused beyond. */
static void
test_api_answer_too_large (void)
{
  g_autoptr(TtdApiClient) client = client_for (server.url);
  g_autoptr(GString) padded = g_string_new (OK_ENVELOPE);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdUserInfo) info = NULL;

  /* valid JSON: the envelope followed by 2 MiB of white space */
  for (guint i = 0; i < 2 * 1024 * 1024; i++)
    g_string_append_c (padded, ' ');
  body = g_string_free_to_bytes (g_steal_pointer (&padded));

  server_answer (SOUP_STATUS_OK, NULL, body);
  g_assert_false (ttd_api_client_revoke (client, "act.0123456789", NULL, &error));
  assert_refused (error, "larger than");
}

/* #6: an upload address must be https (or on this computer) on receipt. */
static void
test_upload_url (void)
{
  g_autoptr(TtdApiClient) client = client_for (server.url);
  g_autoptr(GError) error = NULL;
  g_autofree char *good = NULL;
  char *publish_id = NULL;
  char *upload_url = NULL;

  server_answer_text (SOUP_STATUS_OK, NULL,
                      "{\"error\":{\"code\":\"ok\"},\"data\":{\"publish_id\":\"v_inbox~1\","
                      "\"upload_url\":\"http://192.0.2.1/upload/?upload_id=1&upload_token=t\"}}");
  g_assert_false (ttd_api_client_init_inbox_video (client, "act.0123456789", 1000, 1000, 1,
                                                   &publish_id, &upload_url, NULL, &error));
  assert_refused (error, "https");
  g_assert_null (publish_id);
  g_assert_null (upload_url);
  g_clear_error (&error);

  g_assert_false (ttd_config_url_is_secure ("http://192.0.2.1/upload/"));
  g_assert_false (ttd_config_url_is_secure ("ftp://127.0.0.1/upload/"));
  g_assert_false (ttd_config_url_is_secure (NULL));
  g_assert_true (ttd_config_url_is_secure ("https://open-upload.tiktokapis.com/video/?upload_id=1"));
  g_assert_true (ttd_config_url_is_secure ("http://[::1]:8080/upload/"));

  good = g_strdup_printf ("{\"error\":{\"code\":\"ok\"},\"data\":{\"publish_id\":\"v_inbox~1\","
                          "\"upload_url\":\"%s/upload/?upload_id=1\"}}", server.url);
  server_answer_text (SOUP_STATUS_OK, NULL, good);
  g_assert_true (ttd_api_client_init_inbox_video (client, "act.0123456789", 1000, 1000, 1,
                                                  &publish_id, &upload_url, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (upload_url, server.url));
  g_free (publish_id);
  g_free (upload_url);
}

/* #7 for the photo host: neither a PUT nor a DELETE follows a redirect
 * (a 307 would carry the photo and the host's password elsewhere). */
static void
test_photo_host_redirects (void)
{
  g_autoptr(TtdConfig) config = ttd_config_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(TtdPhotoHost) host = NULL;
  g_autoptr(GBytes) photo = g_bytes_new_static ("\xff\xd8\xff\xd9", 4);
  g_autoptr(GError) error = NULL;

  config->photo_upload_url = g_strconcat (server.url, "/dav/", NULL);
  config->photo_public_url = g_strconcat (server.url, "/pub/", NULL);
  ttd_config_set (&config->photo_auth, "basic");
  ttd_config_set (&config->photo_username, "ann");
  ttd_config_set (&config->photo_password, "photo-host-password");
  host = ttd_photo_host_new (config, session, &error);
  g_assert_no_error (error);

  server_answer_text (SOUP_STATUS_TEMPORARY_REDIRECT, "/target/", NULL);
  g_assert_false (ttd_photo_host_put (host, "ttd-1.jpg", photo, NULL, &error));
  assert_refused (error, "redirect");
  g_assert_cmpint (g_atomic_int_get (&server.target_hits), ==, 0);
  g_clear_error (&error);

  server_answer_text (SOUP_STATUS_PERMANENT_REDIRECT, "/target/", NULL);
  g_assert_false (ttd_photo_host_delete (host, "ttd-1.jpg", NULL, &error));
  assert_refused (error, "redirect");
  g_assert_cmpint (g_atomic_int_get (&server.target_hits), ==, 0);
  g_clear_error (&error);

  server_answer_text (SOUP_STATUS_MOVED_PERMANENTLY, "/target/", NULL);
  g_assert_false (ttd_photo_host_verify (host, "ttd-1.jpg", photo, NULL, &error));
  assert_refused (error, "redirect");
  g_assert_cmpint (g_atomic_int_get (&server.target_hits), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);
  ttd_log_init ();
  server_start ();

  g_test_add_func ("/ttd/security/insecure-base", test_insecure_base);
  g_test_add_func ("/ttd/security/loopback-base", test_loopback_base);
  g_test_add_func ("/ttd/security/api-redirects", test_api_redirects);
  g_test_add_func ("/ttd/security/api-answer-too-large", test_api_answer_too_large);
  g_test_add_func ("/ttd/security/upload-url", test_upload_url);
  g_test_add_func ("/ttd/security/photo-host-redirects", test_photo_host_redirects);

  result = g_test_run ();
  server_stop ();

  return result;
}
