/* test-json.c — JSON from outside: bounded before parsing (nesting, size),
 * and server text cleaned of control characters where it enters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "ttd-core.h"

/* 400 000 open brackets: json-glib 1.6 recursed once per bracket and
 * overflowed the stack on this (issue 15, #5). */
#define DEEP 400000

static char *
deep_json (char         open,
           const char  *prefix)
{
  GString *text = g_string_new (prefix);

  for (guint i = 0; i < DEEP; i++)
    g_string_append_c (text, open);

  return g_string_free (text, FALSE);
}

static GBytes *
bytes_for (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static void
test_bounds (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) nested = g_string_new (NULL);
  g_autoptr(GString) deeper = NULL;
  g_autoptr(JsonNode) root = NULL;
  /* brackets and escaped quotes inside strings do not nest anything */
  static const char in_strings[] = "{\"a\":\"[[[[{{{{\\\"[[[[\",\"b\":[\"\\\\\",\"]]]]\"]}";

  for (guint i = 0; i < TTD_JSON_MAX_DEPTH; i++)
    g_string_append_c (nested, i % 2 ? '{' : '[');
  g_assert_true (ttd_json_check_bounds (nested->str, nested->len, 1024, TTD_JSON_MAX_DEPTH, NULL));

  deeper = g_string_new (nested->str);
  g_string_append_c (deeper, '[');
  g_assert_false (ttd_json_check_bounds (deeper->str, deeper->len, 1024, TTD_JSON_MAX_DEPTH, &error));
  g_assert_error (error, TTD_ERROR, TTD_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "nested"));
  g_clear_error (&error);

  /* depth counts what is open at once, not how many were opened */
  g_string_truncate (nested, 0);
  for (guint i = 0; i < 1000; i++)
    g_string_append (nested, "[{}],");
  g_assert_true (ttd_json_check_bounds (nested->str, nested->len, 1 << 20, 3, NULL));

  g_assert_true (ttd_json_check_bounds (in_strings, strlen (in_strings), 1024, 2, NULL));
  root = ttd_json_parse_bounded (in_strings, strlen (in_strings), 1024, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "a"), ==, "[[[[{{{{\"[[[[");

  g_assert_false (ttd_json_check_bounds ("{}", 2, 1, TTD_JSON_MAX_DEPTH, &error));
  g_assert_error (error, TTD_ERROR, TTD_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "larger"));
  g_clear_error (&error);

  /* blank: no root, no error */
  g_assert_null (ttd_json_parse_bounded (" \n", 2, 1024, &error));
  g_assert_no_error (error);
}

static void
test_deep_api_answers (void)
{
  g_autofree char *arrays = deep_json ('[', "");
  g_autofree char *objects = deep_json ('[', "{\"error\":{\"code\":\"ok\"},\"data\":");
  g_autoptr(GBytes) deep_arrays = bytes_for (arrays);
  g_autoptr(GBytes) deep_objects = bytes_for (objects);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) envelope = NULL;
  g_autoptr(JsonObject) oauth = NULL;

  envelope = ttd_api_parse_envelope (200, deep_objects, &error);
  g_assert_null (envelope);
  g_assert_error (error, TTD_ERROR, TTD_ERROR_PROTOCOL);
  g_clear_error (&error);

  oauth = ttd_api_parse_oauth (200, deep_arrays, &error);
  g_assert_null (oauth);
  g_assert_error (error, TTD_ERROR, TTD_ERROR_PROTOCOL);
}

static void
test_deep_queue (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ttd-json-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "queue.json", NULL);
  g_autofree char *aside = g_strconcat (path, ".damaged", NULL);
  g_autofree char *text = deep_json ('[', "{\"version\":1,\"items\":");
  g_autoptr(TtdQueue) queue = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));

  /* The damaged queue is kept aside, as any unreadable one is. */
  g_test_expect_message ("ttd-core", G_LOG_LEVEL_WARNING, "*could not be read*");
  queue = ttd_queue_new (path);
  items = ttd_queue_list (queue, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_nonnull (items);
  g_assert_cmpuint (items->len, ==, 0);
  g_assert_true (g_file_test (aside, G_FILE_TEST_EXISTS));

  g_unlink (aside);
  g_unlink (path);
  g_rmdir (dir);
}

/* What the keyring holds (tokens, a pending sign-in) and the hosted-photos
 * ledger are read with the same bounds: a deep item is refused, not
 * recursed into. */
static void
test_deep_keyring_items (void)
{
  g_autofree char *tokens_text = deep_json ('[', "{\"open_id\":");
  g_autofree char *pending_text = deep_json ('{', "{\"state\":\"s\",\"x\":");
  g_autoptr(TtdTokens) tokens = NULL;
  g_autoptr(TtdAuthFlow) flow = NULL;
  g_autoptr(GError) error = NULL;

  tokens = ttd_tokens_new_from_json (tokens_text, &error);
  g_assert_null (tokens);
  g_assert_nonnull (error);
  g_clear_error (&error);

  flow = ttd_auth_flow_new_from_pending (pending_text, &error);
  g_assert_null (flow);
  g_assert_error (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED);
}

static void
test_deep_ledger (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "tiktok-drafts", NULL);
  g_autofree char *path = g_build_filename (dir, "hosted-photos.json", NULL);
  g_autofree char *text = deep_json ('[', "[{\"upload_url\":");
  g_autofree char *saved = NULL;
  g_autofree char *name = ttd_photo_host_new_name (NULL);
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));

  g_test_expect_message ("ttd-core", G_LOG_LEVEL_WARNING, "*nested*");
  ttd_photo_host_record ("https://photos.example.com/up/", name, NULL);
  g_test_assert_expected_messages ();

  /* the unreadable ledger was replaced by one that holds the new entry */
  g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
  root = ttd_json_parse_bounded (saved, strlen (saved), 1 << 20, NULL);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 1);

  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
has_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x202e)
        return TRUE;
    }

  return FALSE;
}

static void
test_text_clean (void)
{
  g_autofree char *a = ttd_text_clean ("red \x1b[31mX\x1b[0m\a\r\n\tend \xc2\x9b" "2J", -1, FALSE);
  g_autofree char *b = ttd_text_clean ("line one\n\tline two\x1b]0;title\x07", -1, TRUE);
  g_autofree char *c = ttd_text_clean ("bad \xff utf-8 \xe2\x80\xae" "evil", -1, FALSE);
  g_autofree char *d = ttd_text_clean ("Caf\xc3\xa9 \xf0\x9f\x8e\xac ok", -1, FALSE);

  g_assert_cmpstr (a, ==, "red [31mX[0m   end 2J");
  g_assert_cmpstr (b, ==, "line one\n\tline two]0;title");
  g_assert_true (g_utf8_validate (c, -1, NULL));
  g_assert_false (has_control (c));
  g_assert_cmpstr (d, ==, "Caf\xc3\xa9 \xf0\x9f\x8e\xac ok");   /* good text unchanged */
  g_assert_null (ttd_text_clean (NULL, -1, FALSE));
}

/* TikTok's text reaches the window and the terminal through GError
 * messages and the status; escapes in the JSON become control characters
 * on parsing (issue 15, #12). */
static void
test_server_text (void)
{
  g_autoptr(GBytes) envelope = bytes_for (
    "{\"error\":{\"code\":\"odd\\u001b[2J\",\"message\":\"Look \\u001b]8;;https://evil.example\\u0007here\\u009b\",\"log_id\":\"L1\\u0007\\r\\n\"}}");
  g_autoptr(GBytes) oauth = bytes_for (
    "{\"error\":\"weird\",\"error_description\":\"x\\u001b[1A\\u001b[2Kfake prompt\\u202e\",\"log_id\":\"L2\"}");
  g_autoptr(GBytes) status = bytes_for (
    "{\"error\":{\"code\":\"ok\"},\"data\":{\"status\":\"FAILED\",\"fail_reason\":\"bad\\u001b[5m\\u0085\"}}");
  g_autoptr(GBytes) user = bytes_for (
    "{\"error\":{\"code\":\"ok\"},\"data\":{\"user\":{\"open_id\":\"o1\",\"display_name\":\"Ann\\u001b[8m\"}}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(TtdPublishStatus) publish = NULL;
  g_autoptr(TtdUserInfo) info = NULL;
  g_autofree char *reason = NULL;

  g_assert_null (ttd_api_parse_envelope (400, envelope, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_false (has_control (error->message));
  g_assert_nonnull (strstr (error->message, "here"));
  g_clear_error (&error);

  g_assert_null (ttd_api_parse_oauth (400, oauth, &error));
  g_assert_nonnull (error);
  g_assert_false (has_control (error->message));
  g_assert_nonnull (strstr (error->message, "fake prompt"));
  g_clear_error (&error);

  data = ttd_api_parse_envelope (200, status, &error);
  g_assert_no_error (error);
  publish = ttd_api_parse_publish_status (data, &error);
  g_assert_no_error (error);
  g_assert_false (has_control (publish->fail_reason));
  reason = ttd_error_describe_fail_reason (publish->fail_reason);
  g_assert_false (has_control (reason));
  g_clear_pointer (&data, json_object_unref);

  data = ttd_api_parse_envelope (200, user, &error);
  g_assert_no_error (error);
  info = ttd_api_parse_user_info (data, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->display_name, ==, "Ann[8m");
}

/* The log writer is where server text reaches the terminal, too. */
static void
test_log_text (void)
{
  g_autofree char *redacted = ttd_log_redact ("Chunk 1 → HTTP 400 \x1b[2J\x1b]0;owned\x07\xc2\x9b" "done\nnext\tline");

  g_assert_false (strchr (redacted, '\x1b'));
  g_assert_false (strchr (redacted, '\x07'));
  g_assert_null (strstr (redacted, "\xc2\x9b"));
  g_assert_nonnull (strstr (redacted, "done\nnext\tline"));
}

int
main (int   argc,
      char *argv[])
{
  /* The ledger lives in the user data directory: a private one. (Not
   * G_TEST_OPTION_ISOLATE_DIRS, whose strings GLib never frees: LSan.) */
  g_autofree char *data_home = g_dir_make_tmp ("ttd-test-json-XXXXXX", NULL);
  int status;

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ttd/json/bounds", test_bounds);
  g_test_add_func ("/ttd/json/deep-api-answers", test_deep_api_answers);
  g_test_add_func ("/ttd/json/deep-queue", test_deep_queue);
  g_test_add_func ("/ttd/json/deep-keyring-items", test_deep_keyring_items);
  g_test_add_func ("/ttd/json/deep-ledger", test_deep_ledger);
  g_test_add_func ("/ttd/text/clean", test_text_clean);
  g_test_add_func ("/ttd/text/server-text", test_server_text);
  g_test_add_func ("/ttd/text/log", test_log_text);

  status = g_test_run ();
  g_rmdir (data_home);

  return status;
}
