/* test-sender.c — ttd-sender against the in-process emulator: a queued
 * video reaches the inbox exactly once, an interrupted one continues where
 * it stopped, and failures are kept in the queue as sentences
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ttd-test-emulator.h"

#define ONE_CHUNK    ((gsize) (1024 * 1024))
#define THREE_CHUNKS ((gsize) 64000001)

static TtdQueue *
open_queue (EmulatorFixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->dir, "queue.json", NULL);

  return ttd_queue_new (path);
}

static guint
queue_length (TtdQueue *queue)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = ttd_queue_list (queue, &error);

  g_assert_no_error (error);
  return items->len;
}

static guint
draft_count (EmulatorFixture *fixture)
{
  g_autoptr(JsonObject) state = emulator_fixture_dup_state (fixture);

  return json_array_get_length (json_object_get_array_member (state, "drafts"));
}

static void
test_sent_once (EmulatorFixture *fixture,
                gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdQueue) queue = open_queue (fixture);
  g_autofree char *sha256 = NULL;
  g_autoptr(GFile) file = emulator_fixture_write_video (fixture, "clip.mp4", ONE_CHUNK, &sha256);
  g_autoptr(TtdQueueItem) item = NULL;
  g_autoptr(TtdQueueItem) again = NULL;
  g_autoptr(TtdUploadResult) result = NULL;
  g_autoptr(TtdUploadResult) second = NULL;
  g_autoptr(JsonObject) draft = NULL;

  item = ttd_queue_add_video (queue, file, NULL, &error);
  g_assert_no_error (error);
  /* Adding the same file again does not queue it twice. */
  again = ttd_queue_add_video (queue, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->id, ==, item->id);
  g_assert_cmpuint (queue_length (queue), ==, 1);

  result = ttd_account_send_queue_item (fixture->account, queue, item->id, TTD_UPLOAD_FLAGS_WAIT,
                                        NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ttd_upload_result_succeeded (result));

  /* Done: out of the queue, in the inbox, byte for byte. */
  g_assert_cmpuint (queue_length (queue), ==, 0);
  g_assert_cmpuint (draft_count (fixture), ==, 1);
  draft = emulator_fixture_dup_draft (fixture, 0);
  g_assert_cmpstr (json_object_get_string_member (draft, "publish_id"), ==, result->publish_id);
  g_assert_cmpstr (json_object_get_string_member (draft, "status"), ==, "SEND_TO_USER_INBOX");
  g_assert_cmpstr (json_object_get_string_member (draft, "sha256"), ==, sha256);
  g_assert_cmpint (emulator_fixture_count (fixture, "video_inits"), ==, 1);
  g_assert_cmpint (emulator_fixture_count (fixture, "puts"), ==, 1);

  /* Sending it again (a second window, a double click) sends nothing. */
  second = ttd_account_send_queue_item (fixture->account, queue, item->id, TTD_UPLOAD_FLAGS_WAIT,
                                        NULL, NULL, NULL, &error);
  g_assert_null (second);
  g_assert_error (error, TTD_ERROR, TTD_ERROR_FAILED);
  g_assert_cmpuint (draft_count (fixture), ==, 1);
  g_assert_cmpint (emulator_fixture_count (fixture, "video_inits"), ==, 1);
}

typedef struct
{
  TtdQueue     *queue;
  const char   *id;
  gint64        chunk_size;
  GCancellable *cancellable;
} Interrupt;

/* Stops the send (as closing the app would) once the queue on disk has
 * the first chunk acknowledged. */
static void
interrupt_after_first_chunk (const TtdUploadProgress *progress,
                             gpointer                 user_data)
{
  Interrupt *interrupt = user_data;
  g_autoptr(TtdQueueItem) item = NULL;

  if (progress->phase != TTD_UPLOAD_PHASE_SENDING || progress->bytes_sent < interrupt->chunk_size)
    return;

  item = ttd_queue_lookup (interrupt->queue, interrupt->id, NULL);
  if (item != NULL && item->acknowledged >= interrupt->chunk_size)
    g_cancellable_cancel (interrupt->cancellable);
}

static void
test_resumed (EmulatorFixture *fixture,
              gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdQueue) queue = open_queue (fixture);
  g_autofree char *sha256 = NULL;
  g_autoptr(GFile) file = emulator_fixture_write_video (fixture, "long.mp4", THREE_CHUNKS, &sha256);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(TtdQueueItem) item = NULL;
  g_autoptr(TtdQueueItem) stopped = NULL;
  g_autoptr(TtdUploadResult) result = NULL;
  g_autoptr(JsonObject) draft = NULL;
  TtdChunkPlan plan;
  Interrupt interrupt;

  g_assert_true (ttd_chunk_plan_compute (THREE_CHUNKS, 0, &plan, &error));
  item = ttd_queue_add_video (queue, file, NULL, &error);
  g_assert_no_error (error);

  interrupt = (Interrupt) { queue, item->id, plan.chunk_size, cancellable };
  result = ttd_account_send_queue_item (fixture->account, queue, item->id, TTD_UPLOAD_FLAGS_WAIT,
                                        interrupt_after_first_chunk, &interrupt, cancellable, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Kept, unclaimed, with TikTok's upload and the progress. */
  stopped = ttd_queue_lookup (queue, item->id, &error);
  g_assert_nonnull (stopped);
  g_assert_cmpint (stopped->state, ==, TTD_QUEUE_STATE_SENDING);
  g_assert_nonnull (stopped->publish_id);
  g_assert_nonnull (stopped->upload_url);
  g_assert_cmpint (stopped->acknowledged, ==, plan.chunk_size);
  g_assert_cmpint (stopped->owner_pid, ==, 0);

  result = ttd_account_send_queue_item (fixture->account, queue, item->id, TTD_UPLOAD_FLAGS_WAIT,
                                        NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ttd_upload_result_succeeded (result));
  g_assert_cmpstr (result->publish_id, ==, stopped->publish_id);

  /* One draft, one init: the first chunk was not sent again. */
  g_assert_cmpuint (draft_count (fixture), ==, 1);
  g_assert_cmpint (emulator_fixture_count (fixture, "video_inits"), ==, 1);
  draft = emulator_fixture_dup_draft (fixture, 0);
  g_assert_cmpint (json_object_get_int_member (draft, "chunks_received"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (draft, "put_attempts"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (draft, "sha256"), ==, sha256);
  g_assert_cmpuint (queue_length (queue), ==, 0);
}

/* A message for the user: a capitalised sentence (perhaps opening with a
 * quoted file name), with TikTok's log ID at most after it, and no token. */
static void
assert_sentence (const char *text)
{
  g_autofree char *sentence = NULL;
  gunichar first;

  g_assert_nonnull (text);
  sentence = g_strdup (text);
  if (strstr (sentence, " (TikTok log ID: ") != NULL)
    *strstr (sentence, " (TikTok log ID: ") = '\0';
  first = g_utf8_get_char (sentence);
  g_assert_true (g_unichar_isupper (first) || g_unichar_ispunct (first));
  g_assert_true (g_str_has_suffix (sentence, "."));
  g_assert_null (strstr (text, "act."));
}

/* Sends @item_id expecting @code; checks that the queue kept the item in
 * @state with the error's sentence, unclaimed, and returns it. */
static TtdQueueItem *
send_expecting (EmulatorFixture *fixture,
                TtdQueue        *queue,
                const char      *item_id,
                TtdError         code,
                TtdQueueState    state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdUploadResult) result = NULL;
  TtdQueueItem *kept;

  result = ttd_account_send_queue_item (fixture->account, queue, item_id, TTD_UPLOAD_FLAGS_WAIT,
                                        NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, TTD_ERROR, (int) code);

  kept = ttd_queue_lookup (queue, item_id, NULL);
  g_assert_nonnull (kept);
  g_assert_cmpint (kept->state, ==, state);
  g_assert_cmpstr (kept->error, ==, error->message);
  assert_sentence (kept->error);
  g_assert_cmpint (kept->owner_pid, ==, 0);
  return kept;
}

/* A file that went away fails the item, with a sentence that names it. */
static void
test_failure_recorded (EmulatorFixture *fixture,
                       gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdQueue) queue = open_queue (fixture);
  g_autoptr(GFile) file = emulator_fixture_write_video (fixture, "gone.mp4", ONE_CHUNK, NULL);
  g_autoptr(TtdQueueItem) item = ttd_queue_add_video (queue, file, NULL, &error);
  g_autoptr(TtdQueueItem) failed = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_delete (file, NULL, &error));

  failed = send_expecting (fixture, queue, item->id, TTD_ERROR_INVALID_FILE,
                           TTD_QUEUE_STATE_FAILED);
  g_assert_nonnull (strstr (failed->error, "gone.mp4"));
  g_assert_cmpint (emulator_fixture_count (fixture, "video_inits"), ==, 0);
}

/* TikTok's full inbox keeps the item queued, with TikTok's reason. */
static void
test_pending_cap_recorded (EmulatorFixture *fixture,
                           gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdQueue) queue = open_queue (fixture);
  g_autoptr(GFile) file = emulator_fixture_write_video (fixture, "full.mp4", ONE_CHUNK, NULL);
  g_autoptr(TtdQueueItem) item = ttd_queue_add_video (queue, file, NULL, &error);
  g_autoptr(TtdQueueItem) waiting = NULL;

  g_assert_no_error (error);
  g_assert_true (ttd_emulator_arm_fault (fixture->emulator, "pending-cap", NULL));

  waiting = send_expecting (fixture, queue, item->id, TTD_ERROR_PENDING_LIMIT,
                            TTD_QUEUE_STATE_QUEUED);
  g_assert_nonnull (strstr (waiting->error, "inbox"));
  g_assert_cmpuint (draft_count (fixture), ==, 0);
}

/* An item goes to the account it was queued for and to no other; the
 * same file queued for two accounts is two items. */
static void
test_bound_to_account (EmulatorFixture *fixture,
                       gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdQueue) queue = open_queue (fixture);
  g_autoptr(GFile) file = emulator_fixture_write_video (fixture, "clip.mp4", ONE_CHUNK, NULL);
  g_autofree char *own_id = ttd_account_dup_open_id (fixture->account);
  g_autoptr(TtdQueueItem) own = NULL;
  g_autoptr(TtdQueueItem) other = NULL;
  g_autoptr(TtdQueueItem) kept = NULL;
  g_autoptr(TtdUploadResult) result = NULL;

  g_assert_nonnull (own_id);
  own = ttd_queue_add_video (queue, file, own_id, &error);
  g_assert_no_error (error);
  other = ttd_queue_add_video (queue, file, "someone-else", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (own->id, !=, other->id);
  g_assert_cmpuint (queue_length (queue), ==, 2);

  result = ttd_account_send_queue_item (fixture->account, queue, other->id, TTD_UPLOAD_FLAGS_WAIT,
                                        NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, TTD_ERROR, TTD_ERROR_NO_SUCH_ACCOUNT);
  g_clear_error (&error);
  g_assert_cmpint (emulator_fixture_count (fixture, "video_inits"), ==, 0);
  kept = ttd_queue_lookup (queue, other->id, &error);
  g_assert_nonnull (kept);
  g_assert_cmpint (kept->owner_pid, ==, 0);
  g_assert_cmpstr (kept->open_id, ==, "someone-else");

  result = ttd_account_send_queue_item (fixture->account, queue, own->id, TTD_UPLOAD_FLAGS_WAIT,
                                        NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ttd_upload_result_succeeded (result));
  g_assert_cmpuint (draft_count (fixture), ==, 1);
  g_assert_cmpuint (queue_length (queue), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/ttd/sender/sent-once", EmulatorFixture, NULL,
              emulator_fixture_setup, test_sent_once, emulator_fixture_teardown);
  g_test_add ("/ttd/sender/resumed", EmulatorFixture, NULL,
              emulator_fixture_setup, test_resumed, emulator_fixture_teardown);
  g_test_add ("/ttd/sender/failure-recorded", EmulatorFixture, NULL,
              emulator_fixture_setup, test_failure_recorded, emulator_fixture_teardown);
  g_test_add ("/ttd/sender/pending-cap-recorded", EmulatorFixture, NULL,
              emulator_fixture_setup, test_pending_cap_recorded, emulator_fixture_teardown);
  g_test_add ("/ttd/sender/bound-to-account", EmulatorFixture, NULL,
              emulator_fixture_setup, test_bound_to_account, emulator_fixture_teardown);

  return g_test_run ();
}
