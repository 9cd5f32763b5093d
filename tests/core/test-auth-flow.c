/* test-auth-flow.c — the loopback listener, driven like a browser would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <libsoup/soup.h>

#include "ttd-core.h"

typedef struct
{
  guint16  port;
  char    *request;   /* raw HTTP request text */
  char    *response;  /* what came back */
} RawRequest;

/* A deliberately dumb client, so the test controls every header. */
static void
raw_request_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  RawRequest *raw = task_data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  guint8 chunk[4096];
  gssize n;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", raw->port, NULL, &error);
  if (connection == NULL)
    {
      raw->response = g_strdup ("CONNECT-FAILED");
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             raw->request, strlen (raw->request), NULL, NULL, NULL);
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                   chunk, sizeof chunk, NULL, NULL)) > 0)
    g_byte_array_append (buffer, chunk, n);
  g_byte_array_append (buffer, (const guint8 *) "", 1);
  raw->response = g_strdup ((const char *) buffer->data);
  g_task_return_boolean (task, TRUE);
}

static void
raw_request_free (RawRequest *raw)
{
  g_free (raw->request);
  g_free (raw->response);
  g_free (raw);
}

/* Sends the request from a thread while this thread's main loop serves it. */
static char *
send_raw (guint16     port,
          const char *method,
          const char *path_and_query,
          const char *host)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  RawRequest *raw = g_new0 (RawRequest, 1);

  raw->port = port;
  raw->request = g_strdup_printf ("%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n",
                                  method, path_and_query, host);
  g_task_set_task_data (task, raw, (GDestroyNotify) raw_request_free);
  g_task_run_in_thread (task, raw_request_thread);

  while (!g_task_get_completed (task))
    g_main_context_iteration (NULL, TRUE);

  return g_strdup (raw->response);
}

static int
status_of (const char *response)
{
  int status = 0;

  if (sscanf (response, "HTTP/1.%*d %d", &status) != 1)
    return -1;
  return status;
}

static TtdConfig *
test_config (void)
{
  TtdConfig *config = ttd_config_new ();

  ttd_config_set (&config->client_key, "demo-client-key");
  ttd_config_set (&config->client_secret, "demo-client-secret");
  ttd_config_set (&config->auth_url, "http://127.0.0.1:1/v2/auth/authorize/");

  return config;
}

typedef struct
{
  gboolean  done;
  char     *code;
  GError   *error;
} WaitResult;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  WaitResult *wait = user_data;

  wait->code = ttd_auth_flow_wait_finish (TTD_AUTH_FLOW (object), result, &wait->error);
  wait->done = TRUE;
}

static char *
state_of (TtdAuthFlow *flow)
{
  g_autoptr(GUri) uri = g_uri_parse (ttd_auth_flow_get_authorize_uri (flow), G_URI_FLAGS_NONE, NULL);
  g_autoptr(GHashTable) params = soup_form_decode (g_uri_get_query (uri));

  return g_strdup (g_hash_table_lookup (params, "state"));
}

static void
test_authorize_uri (void)
{
  g_autoptr(TtdConfig) config = test_config ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdAuthFlow) flow = ttd_auth_flow_new_loopback (config, &error);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *expected_redirect = NULL;
  g_autofree char *challenge = NULL;

  g_assert_no_error (error);
  uri = g_uri_parse (ttd_auth_flow_get_authorize_uri (flow), G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  params = soup_form_decode (g_uri_get_query (uri));

  expected_redirect = g_strdup_printf ("http://127.0.0.1:%u/callback/", ttd_auth_flow_get_port (flow));
  g_assert_cmpstr (g_hash_table_lookup (params, "redirect_uri"), ==, expected_redirect);
  g_assert_cmpstr (g_hash_table_lookup (params, "client_key"), ==, "demo-client-key");
  g_assert_cmpstr (g_hash_table_lookup (params, "response_type"), ==, "code");
  g_assert_cmpstr (g_hash_table_lookup (params, "scope"), ==, "user.info.basic,video.upload");
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge_method"), ==, "S256");
  challenge = ttd_pkce_challenge (ttd_auth_flow_get_code_verifier (flow), TTD_PKCE_HEX);
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge"), ==, challenge);
  g_assert_cmpuint (strlen (g_hash_table_lookup (params, "state")), >=, 43);
  g_assert_null (g_hash_table_lookup (params, "client_secret"));
}

static void
test_listener (void)
{
  g_autoptr(TtdConfig) config = test_config ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdAuthFlow) flow = ttd_auth_flow_new_loopback (config, &error);
  g_autofree char *state = state_of (flow);
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", ttd_auth_flow_get_port (flow));
  g_autofree char *good = g_strdup_printf ("/callback/?code=c0de%%2A0%%21x&scopes=video.upload&state=%s", state);
  guint16 port = ttd_auth_flow_get_port (flow);
  /* Each has the good state (GOOD) once or twice. */
  const char *duplicated[] = {
    "/callback/?code=x&state=bad&state=GOOD",
    "/callback/?code=x&state=GOOD&state=GOOD",
    "/callback/?code=x&code=y&state=GOOD",
    "/callback/?code=x&state=GOOD&code=y",
    "/callback/?error=access_denied&error=server_error&state=GOOD",
    "/callback/?code=x&error=access_denied&error=x&state=GOOD",
    "/callback/?error=access_denied&error_description=a&error_description=b&state=GOOD",
  };
  g_autofree char *absolute = NULL;
  WaitResult wait = { 0, };
  GSocketConnection *slow = NULL;
  char *response;

  g_assert_no_error (error);
  ttd_auth_flow_wait_async (flow, NULL, wait_cb, &wait);

  /* Not ours: refused with 4xx, and the listener keeps waiting. */
  response = send_raw (port, "GET", "/favicon.ico", host);
  g_assert_cmpint (status_of (response), ==, 404);
  g_assert_nonnull (strstr (response, "no-store"));
  g_free (response);

  response = send_raw (port, "POST", good, host);
  g_assert_cmpint (status_of (response), ==, 405);
  g_free (response);

  response = send_raw (port, "GET", good, "evil.example.com");
  g_assert_cmpint (status_of (response), ==, 400);
  g_free (response);

  response = send_raw (port, "GET", "/callback/?code=x&state=wrong", host);
  g_assert_cmpint (status_of (response), ==, 400);
  g_assert_null (strstr (response, "wrong"));  /* never echoed */
  g_free (response);

  response = send_raw (port, "GET", "/callback/?code=x", host);
  g_assert_cmpint (status_of (response), ==, 400);
  g_free (response);

  /* The right Host header, but an absolute request target naming another
   * host: not a request for this listener. */
  absolute = g_strdup_printf ("http://evil.example%s", good);
  response = send_raw (port, "GET", absolute, host);
  g_assert_cmpint (status_of (response), ==, 400);
  g_free (response);
  g_free (absolute);
  absolute = g_strdup_printf ("http://127.0.0.1:%u%s", (guint) port + 1, good);
  response = send_raw (port, "GET", absolute, host);
  g_assert_cmpint (status_of (response), ==, 400);
  g_free (response);

  /* A parameter given twice is ambiguous (which one would TikTok have
   * meant?): refused, whichever copy is the good one. */
  for (guint i = 0; i < G_N_ELEMENTS (duplicated); i++)
    {
      g_autoptr(GString) path = g_string_new (duplicated[i]);

      g_string_replace (path, "GOOD", state, 0);

      response = send_raw (port, "GET", path->str, host);
      if (status_of (response) != 400)
        g_error ("%s was answered with %d, not 400", duplicated[i], status_of (response));
      g_free (response);
    }

  g_assert_false (wait.done);

  /* A slow client that sends half a request and stalls must not hold up
   * the real callback. */
  {
    g_autoptr(GSocketClient) client = g_socket_client_new ();
    g_autoptr(GError) slow_error = NULL;

    slow = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &slow_error);
    g_assert_no_error (slow_error);
    g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (slow)),
                               "GET /callback/?state=", 21, NULL, NULL, NULL);
  }

  /* The real callback. */
  response = send_raw (port, "GET", good, host);
  g_assert_cmpint (status_of (response), ==, 200);
  g_assert_nonnull (strstr (response, "Referrer-Policy: no-referrer"));
  g_assert_nonnull (strstr (response, "default-src 'none'"));
  g_assert_null (strstr (response, "c0de"));
  g_free (response);

  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (wait.error);
  g_assert_cmpstr (wait.code, ==, "c0de*0!x");
  g_free (wait.code);

  /* Stopped listening right after answering. */
  response = send_raw (port, "GET", good, host);
  g_assert_cmpstr (response, ==, "CONNECT-FAILED");
  g_free (response);

  /* …and the stalled connection was closed, not left waiting. */
  {
    GSocket *socket = g_socket_connection_get_socket (slow);
    char byte;
    gssize n;

    g_socket_set_timeout (socket, 5);
    n = g_socket_receive (socket, &byte, 1, NULL, NULL);
    g_assert_cmpint (n, <=, 0);
  }
  g_clear_object (&slow);
}

static void
test_denied (void)
{
  g_autoptr(TtdConfig) config = test_config ();
  g_autoptr(TtdAuthFlow) flow = ttd_auth_flow_new_loopback (config, NULL);
  g_autofree char *state = state_of (flow);
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", ttd_auth_flow_get_port (flow));
  g_autofree char *path = g_strdup_printf ("/callback/?error=access_denied&error_description=User+cancelled&state=%s", state);
  WaitResult wait = { 0, };
  g_autofree char *response = NULL;

  ttd_auth_flow_wait_async (flow, NULL, wait_cb, &wait);
  response = send_raw (ttd_auth_flow_get_port (flow), "GET", path, host);
  g_assert_cmpint (status_of (response), ==, 200);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (wait.error, TTD_ERROR, TTD_ERROR_AUTH_DENIED);
  g_assert_null (wait.code);
  g_clear_error (&wait.error);
}

static void
test_timeout_and_cancel (void)
{
  g_autoptr(TtdConfig) config = test_config ();
  g_autoptr(TtdAuthFlow) flow = ttd_auth_flow_new_loopback (config, NULL);
  g_autoptr(TtdAuthFlow) flow2 = ttd_auth_flow_new_loopback (config, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  WaitResult wait = { 0, };
  WaitResult wait2 = { 0, };

  ttd_auth_flow_set_timeout (flow, 1);
  ttd_auth_flow_wait_async (flow, NULL, wait_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (wait.error, TTD_ERROR, TTD_ERROR_TIMEOUT);
  g_clear_error (&wait.error);

  ttd_auth_flow_wait_async (flow2, cancellable, wait_cb, &wait2);
  g_cancellable_cancel (cancellable);
  while (!wait2.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (wait2.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait2.error);
}

static void
test_manual_web (void)
{
  g_autoptr(TtdConfig) config = test_config ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdAuthFlow) flow = ttd_auth_flow_new_manual (config, "https://example.com/cb/", &error);
  g_autofree char *pending = NULL;
  g_autoptr(TtdAuthFlow) restored = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *challenge = NULL;

  g_assert_no_error (error);
  uri = g_uri_parse (ttd_auth_flow_get_authorize_uri (flow), G_URI_FLAGS_NONE, NULL);
  params = soup_form_decode (g_uri_get_query (uri));
  challenge = ttd_pkce_challenge (ttd_auth_flow_get_code_verifier (flow), TTD_PKCE_BASE64URL);
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge"), ==, challenge);

  pending = ttd_auth_flow_dup_pending_json (flow);
  restored = ttd_auth_flow_new_from_pending (pending, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ttd_auth_flow_get_code_verifier (restored), ==, ttd_auth_flow_get_code_verifier (flow));
  g_assert_cmpstr (ttd_auth_flow_get_redirect_uri (restored), ==, "https://example.com/cb/");

  g_assert_null (ttd_auth_flow_new_from_pending (NULL, &error));
  g_assert_error (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED);
}

static void
test_pending_expires (void)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const struct { gint64 created_at; gboolean accepted; } cases[] = {
    { now, TRUE },
    { now - TTD_AUTH_PENDING_MAX_AGE_SECONDS + 30, TRUE },
    { now - TTD_AUTH_PENDING_MAX_AGE_SECONDS - 30, FALSE },
    { now + 3600, FALSE },   /* from the future: would never expire */
    { 0, FALSE },            /* no creation time at all */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TtdAuthFlow) flow = NULL;
      g_autofree char *json = NULL;

      json = cases[i].created_at != 0
             ? g_strdup_printf ("{\"code_verifier\":\"v\",\"state\":\"s\",\"redirect_uri\":\"https://example.com/cb/\","
                                "\"created_at\":%" G_GINT64_FORMAT "}", cases[i].created_at)
             : g_strdup ("{\"code_verifier\":\"v\",\"state\":\"s\",\"redirect_uri\":\"https://example.com/cb/\"}");
      flow = ttd_auth_flow_new_from_pending (json, &error);
      if (cases[i].accepted)
        g_assert_no_error (error);
      else
        g_assert_error (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED);
      g_assert_true ((flow != NULL) == cases[i].accepted);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ttd/auth-flow/authorize-uri", test_authorize_uri);
  g_test_add_func ("/ttd/auth-flow/listener", test_listener);
  g_test_add_func ("/ttd/auth-flow/denied", test_denied);
  g_test_add_func ("/ttd/auth-flow/timeout-and-cancel", test_timeout_and_cancel);
  g_test_add_func ("/ttd/auth-flow/manual-web", test_manual_web);
  g_test_add_func ("/ttd/auth-flow/pending-expires", test_pending_expires);

  return g_test_run ();
}
