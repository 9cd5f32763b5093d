/* test-video-upload.c — ttd-video-upload against the in-process emulator:
 * chunks, TikTok's 416 resync, armed faults retried, and the draft that
 * arrives in the inbox byte for byte
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "ttd-test-emulator.h"

/* Over 64 MB, so in chunks: two of 16 MiB, then the 29 MiB rest. */
#define THREE_CHUNKS ((gsize) 64000001)
#define ONE_CHUNK  ((gsize) (1024 * 1024))

static void
assert_in_inbox (EmulatorFixture       *fixture,
                 const TtdUploadResult *result,
                 const char            *sha256)
{
  g_autoptr(JsonObject) draft = emulator_fixture_dup_draft (fixture, 0);

  g_assert_true (ttd_upload_result_succeeded (result));
  g_assert_cmpstr (result->status, ==, "SEND_TO_USER_INBOX");
  g_assert_cmpstr (json_object_get_string_member (draft, "publish_id"), ==, result->publish_id);
  g_assert_cmpstr (json_object_get_string_member (draft, "status"), ==, "SEND_TO_USER_INBOX");
  g_assert_true (json_object_get_boolean_member (draft, "upload_complete"));
  g_assert_cmpstr (json_object_get_string_member (draft, "sha256"), ==, sha256);
  g_assert_cmpstr (json_object_get_string_member (draft, "content_type"), ==, "video/mp4");
}

static void
test_chunks (EmulatorFixture *fixture,
             gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  g_autoptr(GFile) file = emulator_fixture_write_video (fixture, "three.mp4", THREE_CHUNKS, &sha256);
  g_autoptr(TtdUploadResult) result = NULL;
  g_autoptr(JsonObject) draft = NULL;
  TtdChunkPlan plan;

  g_assert_true (ttd_chunk_plan_compute (THREE_CHUNKS, 0, &plan, &error));
  g_assert_cmpint (plan.chunk_count, ==, 3);

  result = ttd_account_upload_video (fixture->account, file, TTD_UPLOAD_FLAGS_WAIT, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_in_inbox (fixture, result, sha256);

  /* Exactly the plan: one init, one PUT per chunk, nothing sent twice. */
  draft = emulator_fixture_dup_draft (fixture, 0);
  g_assert_cmpint (json_object_get_int_member (draft, "video_size"), ==, THREE_CHUNKS);
  g_assert_cmpint (json_object_get_int_member (draft, "chunk_size"), ==, plan.chunk_size);
  g_assert_cmpint (json_object_get_int_member (draft, "total_chunk_count"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (draft, "chunks_received"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (draft, "put_attempts"), ==, 3);
  g_assert_cmpint (emulator_fixture_count (fixture, "video_inits"), ==, 1);
  g_assert_cmpint (result->plan.chunk_count, ==, 3);
}

/* A fault armed before the upload is met once, and retried past. */
static void
test_fault_retried (EmulatorFixture *fixture,
                    gconstpointer    data)
{
  const char *fault = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  g_autoptr(GFile) file = emulator_fixture_write_video (fixture, "one.mp4", ONE_CHUNK, &sha256);
  g_autoptr(TtdUploadResult) result = NULL;
  g_autoptr(JsonObject) draft = NULL;
  g_autoptr(JsonObject) state = NULL;
  gboolean at_init = g_str_equal (fault, "init-5xx");

  g_assert_true (ttd_emulator_arm_fault (fixture->emulator, fault, &error));
  g_assert_no_error (error);

  result = ttd_account_upload_video (fixture->account, file, TTD_UPLOAD_FLAGS_WAIT, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_in_inbox (fixture, result, sha256);

  state = emulator_fixture_dup_state (fixture);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (state, "armed_faults")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (state, "drafts")), ==, 1);
  draft = emulator_fixture_dup_draft (fixture, 0);
  g_assert_cmpint (emulator_fixture_count (fixture, "video_inits"), ==, at_init ? 2 : 1);
  g_assert_cmpint (json_object_get_int_member (draft, "put_attempts"), ==, at_init ? 1 : 2);
  g_assert_cmpint (json_object_get_int_member (draft, "chunks_received"), ==, 1);
}

/* Starts the upload of @file's first chunk as an earlier run would have,
 * straight over HTTP; returns the publish_id and sets @upload_url. */
static char *
send_first_chunk (EmulatorFixture    *fixture,
                  GFile              *file,
                  const TtdChunkPlan *plan,
                  char              **upload_url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(TtdTokens) tokens = ttd_account_dup_tokens (fixture->account);
  g_autofree char *url = g_strconcat (ttd_emulator_get_base_url (fixture->emulator),
                                      "/v2/post/publish/inbox/video/init/", NULL);
  g_autofree char *bearer = g_strconcat ("Bearer ", tokens->access_token, NULL);
  g_autofree char *range = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SoupMessage) init = soup_message_new (SOUP_METHOD_POST, url);
  g_autoptr(SoupMessage) put = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GBytes) request = NULL;
  char *text = NULL;
  JsonObject *data;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "source_info");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, "FILE_UPLOAD");
  json_builder_set_member_name (builder, "video_size");
  json_builder_add_int_value (builder, plan->video_size);
  json_builder_set_member_name (builder, "chunk_size");
  json_builder_add_int_value (builder, plan->chunk_size);
  json_builder_set_member_name (builder, "total_chunk_count");
  json_builder_add_int_value (builder, plan->chunk_count);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  text = json_to_string (body, FALSE);

  request = g_bytes_new_take (text, strlen (text));
  soup_message_headers_replace (soup_message_get_request_headers (init), "Authorization", bearer);
  soup_message_set_request_body_from_bytes (init, "application/json; charset=UTF-8", request);
  answer = soup_session_send_and_read (session, init, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (init), ==, SOUP_STATUS_OK);
  json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer),
                              &error);
  g_assert_no_error (error);
  data = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                        "data");
  *upload_url = g_strdup (json_object_get_string_member (data, "upload_url"));

  stream = g_file_read (file, NULL, &error);
  g_assert_no_error (error);
  chunk = g_input_stream_read_bytes (G_INPUT_STREAM (stream), plan->chunk_size, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_bytes_get_size (chunk), ==, plan->chunk_size);
  range = g_strdup_printf ("bytes 0-%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                           plan->chunk_size - 1, plan->video_size);
  put = soup_message_new (SOUP_METHOD_PUT, *upload_url);
  soup_message_headers_replace (soup_message_get_request_headers (put), "Content-Range", range);
  soup_message_set_request_body_from_bytes (put, "video/mp4", chunk);
  g_clear_pointer (&answer, g_bytes_unref);
  answer = soup_session_send_and_read (session, put, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (put), ==, SOUP_STATUS_PARTIAL_CONTENT);

  return g_strdup (json_object_get_string_member (data, "publish_id"));
}

/* The queue says nothing was acknowledged, TikTok has the first chunk (the
 * app died before it wrote its progress down): TikTok's 416 tells the
 * uploader where to go on, and it sends only the chunks TikTok lacks. */
static void
test_resync_416 (EmulatorFixture *fixture,
                 gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  g_autoptr(GFile) file = emulator_fixture_write_video (fixture, "three.mp4", THREE_CHUNKS, &sha256);
  g_autofree char *queue_path = g_build_filename (fixture->dir, "queue.json", NULL);
  g_autoptr(TtdQueue) queue = ttd_queue_new (queue_path);
  g_autoptr(TtdQueueItem) item = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(TtdUploadResult) result = NULL;
  g_autoptr(JsonObject) draft = NULL;
  TtdChunkPlan plan;

  g_assert_true (ttd_chunk_plan_compute (THREE_CHUNKS, 0, &plan, &error));
  item = ttd_queue_add_video (queue, file, NULL, &error);
  g_assert_no_error (error);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, G_FILE_QUERY_INFO_NONE,
                            NULL, &error);
  g_assert_no_error (error);

  item->publish_id = send_first_chunk (fixture, file, &plan, &item->upload_url);
  item->state = TTD_QUEUE_STATE_SENDING;
  item->upload_url_issued_at = g_get_real_time () / G_USEC_PER_SEC;
  item->acknowledged = 0;
  item->chunk_size = plan.chunk_size;
  item->chunk_count = plan.chunk_count;
  item->file_size = plan.video_size;
  item->file_mtime = (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
  g_assert_true (ttd_queue_put (queue, item, &error));

  result = ttd_account_send_queue_item (fixture->account, queue, item->id, TTD_UPLOAD_FLAGS_WAIT,
                                NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_in_inbox (fixture, result, sha256);
  g_assert_cmpstr (result->publish_id, ==, item->publish_id);

  /* Our chunk, the uploader's first chunk answered 416, then the rest. */
  draft = emulator_fixture_dup_draft (fixture, 0);
  g_assert_cmpint (json_object_get_int_member (draft, "put_attempts"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (draft, "chunks_received"), ==, 3);
  g_assert_cmpint (emulator_fixture_count (fixture, "video_inits"), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/ttd/video-upload/chunks", EmulatorFixture, NULL,
              emulator_fixture_setup, test_chunks, emulator_fixture_teardown);
  g_test_add ("/ttd/video-upload/resync-416", EmulatorFixture, NULL,
              emulator_fixture_setup, test_resync_416, emulator_fixture_teardown);
  g_test_add ("/ttd/video-upload/fault/upload-5xx", EmulatorFixture, "upload-5xx",
              emulator_fixture_setup, test_fault_retried, emulator_fixture_teardown);
  g_test_add ("/ttd/video-upload/fault/reset-mid-chunk", EmulatorFixture, "reset-mid-chunk",
              emulator_fixture_setup, test_fault_retried, emulator_fixture_teardown);
  g_test_add ("/ttd/video-upload/fault/init-5xx", EmulatorFixture, "init-5xx",
              emulator_fixture_setup, test_fault_retried, emulator_fixture_teardown);

  return g_test_run ();
}
