/* test-api-client.c — response envelopes, OAuth answers, config and redaction
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ttd-core.h"

static GBytes *
bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static void
test_envelope_ok (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = bytes ("{\"data\":{\"publish_id\":\"v_inbox_file~v2.1\",\"upload_url\":\"https://u/\"},"
                                  "\"error\":{\"code\":\"ok\",\"message\":\"\",\"log_id\":\"L1\"}}");
  g_autoptr(JsonObject) data = ttd_api_parse_envelope (200, body, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (data, "publish_id"), ==, "v_inbox_file~v2.1");
}

static void
test_envelope_errors (void)
{
  const struct {
    guint status;
    const char *body;
    TtdError code;
    const char *log_id;
    const char *fragment;
  } cases[] = {
    { 401, "{\"data\":{},\"error\":{\"code\":\"access_token_invalid\",\"message\":\"x\",\"log_id\":\"202206221854370101130062072500FFA2\"}}",
      TTD_ERROR_TOKEN_INVALID, "202206221854370101130062072500FFA2", "Sign in again" },
    /* TikTok sends some errors with 200: the body decides. */
    { 200, "{\"data\":{},\"error\":{\"code\":\"spam_risk_too_many_pending_share\",\"message\":\"\",\"log_id\":\"L2\"}}",
      TTD_ERROR_PENDING_LIMIT, "L2", "at most 5 drafts" },
    { 400, "{\"data\":{},\"error\":{\"code\":\"invalid_params\",\"message\":\"The chunk size is invalid\",\"log_id\":\"L3\"}}",
      TTD_ERROR_INVALID_PARAMS, "L3", "The chunk size is invalid" },
    { 400, "{\"data\":{},\"error\":{\"code\":\"invalid_param\",\"message\":\"bad\",\"log_id\":\"L4\"}}",
      TTD_ERROR_INVALID_PARAMS, "L4", "bad" },
    { 429, "{\"data\":{},\"error\":{\"code\":\"rate_limit_exceeded\",\"message\":\"\",\"log_id\":\"L5\"}}",
      TTD_ERROR_RATE_LIMITED, "L5", "Wait a minute" },
    { 403, "{\"data\":{},\"error\":{\"code\":\"url_ownership_unverified\",\"message\":\"\",\"log_id\":\"L6\"}}",
      TTD_ERROR_REFUSED, "L6", "verified" },
    { 500, "{\"data\":{},\"error\":{\"code\":\"internal_error\",\"message\":\"\",\"log_id\":\"L7\"}}",
      TTD_ERROR_SERVER, "L7", "temporary" },
    { 403, "{\"data\":{},\"error\":{\"code\":\"something_new\",\"message\":\"Odd\",\"log_id\":\"L8\"}}",
      TTD_ERROR_FAILED, "L8", "something_new" },
    { 502, "<html>Bad gateway</html>", TTD_ERROR_SERVER, NULL, "HTTP 502" },
    { 200, "", TTD_ERROR_PROTOCOL, NULL, "does not understand" },
    { 200, "{\"data\":{}}", TTD_ERROR_PROTOCOL, NULL, NULL },
    { 200, "[1,2]", TTD_ERROR_PROTOCOL, NULL, NULL },
    { 200, "{\"error\":{\"code\":42}}", TTD_ERROR_PROTOCOL, NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) body = bytes (cases[i].body);
      g_autoptr(JsonObject) data = ttd_api_parse_envelope (cases[i].status, body, &error);
      g_autofree char *log_id = NULL;

      g_assert_null (data);
      g_assert_error (error, TTD_ERROR, (gint) cases[i].code);
      log_id = ttd_error_dup_log_id (error);
      g_assert_cmpstr (log_id, ==, cases[i].log_id);
      if (cases[i].fragment != NULL && strstr (error->message, cases[i].fragment) == NULL)
        g_error ("case %u: “%s” lacks “%s”", i, error->message, cases[i].fragment);
    }
}

static void
test_oauth (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) ok = bytes ("{\"access_token\":\"act.abc12345\",\"expires_in\":7200,\"open_id\":\"o1\","
                                "\"refresh_expires_in\":15552000,\"refresh_token\":\"rft.def67890\","
                                "\"scope\":\"user.info.basic,video.upload\",\"token_type\":\"Bearer\"}");
  g_autoptr(GBytes) grant = bytes ("{\"error\":\"invalid_grant\",\"error_description\":\"Refresh token is invalid\","
                                   "\"log_id\":\"LG\"}");
  g_autoptr(GBytes) verifier = bytes ("{\"error\":\"invalid_request\",\"error_description\":"
                                      "\"Code verifier or code challenge is invalid.\",\"log_id\":\"LV\"}");
  g_autoptr(JsonObject) object = ttd_api_parse_oauth (200, ok, &error);
  g_autoptr(TtdTokens) tokens = NULL;
  g_autofree char *log_id = NULL;

  g_assert_no_error (error);
  tokens = ttd_tokens_new_from_response (object, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tokens->open_id, ==, "o1");
  g_assert_cmpint (tokens->access_expires_at, ==, 1000 + 7200);
  g_assert_cmpint (tokens->refresh_expires_at, ==, 1000 + 15552000);
  g_assert_true (ttd_tokens_has_scope (tokens, "video.upload"));
  g_assert_false (ttd_tokens_has_scope (tokens, "video.publish"));
  g_assert_true (ttd_tokens_access_is_fresh (tokens, 1000));
  g_assert_false (ttd_tokens_access_is_fresh (tokens, 1000 + 7200 - 299));

  /* invalid_grant with HTTP 200 is still an error. */
  g_clear_pointer (&object, json_object_unref);
  object = ttd_api_parse_oauth (200, grant, &error);
  g_assert_null (object);
  g_assert_error (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED);
  log_id = ttd_error_dup_log_id (error);
  g_assert_cmpstr (log_id, ==, "LG");
  g_clear_error (&error);

  object = ttd_api_parse_oauth (400, verifier, &error);
  g_assert_error (error, TTD_ERROR, TTD_ERROR_INVALID_PARAMS);
  g_assert_nonnull (strstr (error->message, "Code verifier"));
  g_clear_error (&error);

  /* revoke answers {} or nothing */
  {
    g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
    g_autoptr(JsonObject) revoked = ttd_api_parse_oauth (200, empty, &error);

    g_assert_no_error (error);
    g_assert_nonnull (revoked);
  }
}

static void
test_tokens_json (void)
{
  TtdTokens tokens = { (char *) "open", (char *) "act.one", (char *) "rft.two", (char *) "video.upload", 10, 20 };
  g_autofree char *json = ttd_tokens_to_json (&tokens);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdTokens) back = ttd_tokens_new_from_json (json, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (back->access_token, ==, "act.one");
  g_assert_cmpstr (back->refresh_token, ==, "rft.two");
  g_assert_cmpint (back->refresh_expires_at, ==, 20);

  g_clear_pointer (&back, ttd_tokens_free);
  back = ttd_tokens_new_from_json ("{\"open_id\":1}", &error);
  g_assert_null (back);
  g_assert_error (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED);
}

static void
test_status_and_user (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = bytes ("{\"data\":{\"status\":\"FAILED\",\"fail_reason\":\"picture_size_check_failed\","
                                  "\"publicaly_available_post_id\":[],\"uploaded_bytes\":10000},"
                                  "\"error\":{\"code\":\"ok\",\"message\":\"\",\"log_id\":\"x\"}}");
  g_autoptr(JsonObject) data = ttd_api_parse_envelope (200, body, &error);
  g_autoptr(TtdPublishStatus) status = ttd_api_parse_publish_status (data, &error);
  g_autofree char *reason = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (status->status, ==, "FAILED");
  g_assert_true (ttd_publish_status_is_final (status));
  g_assert_cmpint (status->uploaded_bytes, ==, 10000);
  reason = ttd_error_describe_fail_reason (status->fail_reason);
  g_assert_nonnull (strstr (reason, "picture size"));

  {
    g_autoptr(GBytes) user = bytes ("{\"data\":{\"user\":{\"open_id\":\"723f\",\"union_id\":\"c9c6\","
                                    "\"avatar_url\":\"https://a/b.jpeg\",\"display_name\":\"Tik Toker\"}},"
                                    "\"error\":{\"code\":\"ok\",\"message\":\"\",\"log_id\":\"y\"}}");
    g_autoptr(JsonObject) udata = ttd_api_parse_envelope (200, user, &error);
    g_autoptr(TtdUserInfo) info = ttd_api_parse_user_info (udata, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (info->display_name, ==, "Tik Toker");
  }
}

static void
test_config (void)
{
  g_autoptr(TtdConfig) config = ttd_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_assert_false (ttd_config_validate (config, &error));
  g_assert_error (error, TTD_ERROR, TTD_ERROR_CONFIG);
  g_clear_error (&error);

  ttd_config_set (&config->client_key, "key");
  ttd_config_set (&config->client_secret, "secret");
  ttd_config_set (&config->client_secret, "");   /* empty never overrides */
  g_assert_cmpstr (config->client_secret, ==, "secret");
  g_assert_true (ttd_config_validate (config, &error));

  g_assert_true (ttd_check_base_uri ("x", "http://127.0.0.1:8080", NULL));
  g_assert_true (ttd_check_base_uri ("x", "http://localhost:1/", NULL));
  g_assert_true (ttd_check_base_uri ("x", "https://open.tiktokapis.com", NULL));
  g_assert_false (ttd_check_base_uri ("x", "http://open.tiktokapis.com", NULL));
  g_assert_false (ttd_check_base_uri ("x", "http://127.0.0.1.example.com/", NULL));
  g_assert_false (ttd_check_base_uri ("x", "ftp://127.0.0.1/", NULL));
  g_assert_false (ttd_check_base_uri ("x", "not a url", NULL));

  ttd_config_set (&config->api_base, "http://127.0.0.1:9/");
  url = ttd_config_build_url (config, "/v2/user/info/");
  g_assert_cmpstr (url, ==, "http://127.0.0.1:9/v2/user/info/");
}

static void
test_redaction (void)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  ttd_log_add_secret ("s3cr3t-value-123");
  a = ttd_log_redact ("sending s3cr3t-value-123 now");
  g_assert_null (strstr (a, "s3cr3t"));

  b = ttd_log_redact ("GET /callback/?code=abc*0!123&state=xyz HTTP Authorization: Bearer act.123456789");
  g_assert_null (strstr (b, "abc*0!123"));
  g_assert_null (strstr (b, "xyz"));
  g_assert_null (strstr (b, "act.123456789"));

  c = ttd_log_redact ("{\"refresh_token\":\"rft.zzzzzzzz\",\"client_secret\":\"hush\"}");
  g_assert_null (strstr (c, "rft.zzzzzzzz"));
  g_assert_null (strstr (c, "hush"));
}

/* What issue 15 found slipping through: URL-encoded separators, tabs, and
 * credentials in a URL's userinfo. */
static void
test_redaction_encoded (void)
{
  static const struct { const char *text; const char *secret; } cases[] = {
    { "next=https%3A%2F%2Fx.example%2F%3Faccess_token%3Dq9secretA%26a%3Db", "q9secretA" },
    { "%22refresh_token%22%3A%22q9secretB%22", "q9secretB" },
    { "state%3Dq9secretC%26code%3Dq9secretD", "q9secretC" },
    { "state%3Dq9secretC%26code%3Dq9secretD", "q9secretD" },
    { "Authorization: Bearer%20q9secretE", "q9secretE" },
    { "header=Bearer+q9secretF", "q9secretF" },
    { "refresh_token\tq9secretG", "q9secretG" },
    { "client_secret\t=\tq9secretH", "q9secretH" },
    { "Authorization:\tBearer\tq9secretI", "q9secretI" },
    { "PUT https://alice:q9secretJ@photos.example/dav/ttd-1.jpg", "q9secretJ" },
    { "host http://bob@127.0.0.1:8080/ answered", "bob" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *redacted = ttd_log_redact (cases[i].text);

      g_test_message ("%s → %s", cases[i].text, redacted);
      g_assert_null (strstr (redacted, cases[i].secret));
    }
}

static void
test_callback_parse (void)
{
  g_autoptr(GError) error = NULL;
  char *code = NULL;

  g_assert_true (ttd_auth_parse_callback ("code=ab%2A0%211&scopes=video.upload&state=S1", "S1", &code, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "ab*0!1");   /* URL-decoded */
  g_free (code);
  code = NULL;

  g_assert_false (ttd_auth_parse_callback ("code=x&state=S2", "S1", &code, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_assert_false (ttd_auth_parse_callback ("code=x", "S1", &code, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_assert_false (ttd_auth_parse_callback (NULL, "S1", &code, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_assert_false (ttd_auth_parse_callback ("error=access_denied&error_description=no&state=S1", "S1", &code, &error));
  g_assert_error (error, TTD_ERROR, TTD_ERROR_AUTH_DENIED);
  g_clear_error (&error);

  g_assert_false (ttd_auth_parse_callback ("state=S1", "S1", &code, &error));
  g_assert_error (error, TTD_ERROR, TTD_ERROR_PROTOCOL);
  g_assert_null (code);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ttd/api/envelope-ok", test_envelope_ok);
  g_test_add_func ("/ttd/api/envelope-errors", test_envelope_errors);
  g_test_add_func ("/ttd/api/oauth", test_oauth);
  g_test_add_func ("/ttd/api/status-and-user", test_status_and_user);
  g_test_add_func ("/ttd/tokens/json", test_tokens_json);
  g_test_add_func ("/ttd/config/validate", test_config);
  g_test_add_func ("/ttd/log/redaction", test_redaction);
  g_test_add_func ("/ttd/log/redaction-encoded", test_redaction_encoded);
  g_test_add_func ("/ttd/auth/callback-parse", test_callback_parse);

  return g_test_run ();
}
