/* test-sender.c — ttd-sender against the in-process emulator: a queued
 * video reaches the inbox exactly once, an interrupted one continues where
 * it stopped, failures are kept in the queue as sentences, and what TikTok
 * holds back (its pending-draft cap, its rate limit) waits for its next
 * try and arrives once
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
  g_assert_error (error, TTD_ERROR, TTD_ERROR_DELIVERED);
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

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
wait_until (gint64 unix_time)
{
  while (now_seconds () < unix_time)
    g_usleep (100 * 1000);
}

static TtdUploadResult *
send_item (TtdAccount     *account,
           TtdQueue       *queue,
           const char     *item_id,
           TtdUploadFlags  flags)
{
  g_autoptr(GError) error = NULL;
  TtdUploadResult *result;

  result = ttd_account_send_queue_item (account, queue, item_id, flags | TTD_UPLOAD_FLAGS_WAIT,
                                        NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ttd_upload_result_succeeded (result));
  return result;
}

/* Sends @item_id expecting it held back for @reason: a TTD_WAIT_ERROR
 * sentence with the queue's next try, the item waiting and unclaimed. */
static TtdQueueItem *
send_held_back (TtdAccount     *account,
                TtdQueue       *queue,
                const char     *item_id,
                TtdUploadFlags  flags,
                TtdWaitReason   reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdUploadResult) result = NULL;
  gint64 before = now_seconds ();
  TtdQueueItem *kept;

  result = ttd_account_send_queue_item (account, queue, item_id, flags | TTD_UPLOAD_FLAGS_WAIT,
                                        NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, TTD_WAIT_ERROR, (int) reason);
  assert_sentence (error->message);

  kept = ttd_queue_lookup (queue, item_id, NULL);
  g_assert_nonnull (kept);
  g_assert_true (ttd_queue_item_is_waiting (kept));
  g_assert_cmpint (kept->wait_reason, ==, reason);
  g_assert_cmpint (kept->next_try_at, >, before);
  g_assert_cmpint (ttd_wait_error_get_next_try (error), ==, kept->next_try_at);
  g_assert_cmpint (kept->owner_pid, ==, 0);
  return kept;
}

static guint
delivered_count (EmulatorFixture *fixture,
                 const char      *sha256)
{
  g_autoptr(JsonObject) state = emulator_fixture_dup_state (fixture);
  JsonArray *drafts = json_object_get_array_member (state, "drafts");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (drafts); i++)
    {
      JsonObject *draft = json_array_get_object_element (drafts, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (draft, "sha256", NULL), sha256) == 0 &&
          g_strcmp0 (json_object_get_string_member (draft, "status"), "SEND_TO_USER_INBOX") == 0)
        n++;
    }

  return n;
}

#define N_CAP_VIDEOS 7

/* TikTok's real cap: five drafts fill the inbox; the sixth and seventh
 * wait (the seventh without even asking TikTok), keep waiting longer while
 * the user does nothing, and arrive, once each, after the drafts were
 * acted on. */
static void
test_pending_cap_waits (EmulatorFixture *fixture,
                        gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdQueue) queue = open_queue (fixture);
  /* The same inbox through tokens of its own: a rate window of its own,
   * so the retries meet the cap, not TikTok's six inits a minute. */
  g_autoptr(TtdAccount) later = emulator_fixture_new_account (fixture);
  g_autoptr(TtdQueueItem) sixth = NULL;
  g_autoptr(TtdQueueItem) early = NULL;
  g_autoptr(TtdQueueItem) seventh = NULL;
  g_autoptr(TtdQueueItem) again = NULL;
  g_autoptr(TtdUploadResult) late = NULL;
  g_autoptr(JsonObject) state = NULL;
  char *ids[N_CAP_VIDEOS];
  char *shas[N_CAP_VIDEOS];
  gint64 inits, before;

  for (guint i = 0; i < N_CAP_VIDEOS; i++)
    {
      g_autofree char *name = g_strdup_printf ("clip-%u.mp4", i);
      g_autoptr(GFile) file = emulator_fixture_write_video (fixture, name, ONE_CHUNK + i, &shas[i]);
      g_autoptr(TtdQueueItem) item = ttd_queue_add_video (queue, file, NULL, &error);

      g_assert_no_error (error);
      ids[i] = g_strdup (item->id);
    }

  for (guint i = 0; i < 5; i++)
    ttd_upload_result_free (send_item (fixture->account, queue, ids[i], TTD_UPLOAD_FLAGS_NONE));
  state = emulator_fixture_dup_state (fixture);
  g_assert_cmpint (json_object_get_int_member (state, "pending_drafts"), ==, 5);

  /* Held back, not failed; TikTok's own sentence is kept. */
  sixth = send_held_back (later, queue, ids[5], TTD_UPLOAD_FLAGS_NONE, TTD_WAIT_PENDING_CAP);
  g_assert_cmpint (sixth->state, ==, TTD_QUEUE_STATE_QUEUED);
  g_assert_cmpint (sixth->wait_count, ==, 1);
  g_assert_cmpint (sixth->next_try_at, <=, now_seconds () + 3);
  g_assert_nonnull (strstr (sixth->error, "5 drafts"));
  inits = emulator_fixture_count (fixture, "video_inits");

  /* A retry of its own before then waits; so does the seventh, which
   * TikTok would refuse the same way. Neither asks TikTok. */
  early = send_held_back (later, queue, ids[5], TTD_UPLOAD_FLAGS_DUE_ONLY, TTD_WAIT_PENDING_CAP);
  g_assert_cmpint (early->next_try_at, ==, sixth->next_try_at);
  g_assert_cmpint (early->wait_count, ==, 1);
  seventh = send_held_back (later, queue, ids[6], TTD_UPLOAD_FLAGS_DUE_ONLY, TTD_WAIT_PENDING_CAP);
  g_assert_cmpint (seventh->next_try_at, ==, sixth->next_try_at);
  g_assert_cmpint (seventh->wait_count, ==, 0);
  g_assert_cmpint (emulator_fixture_count (fixture, "video_inits"), ==, inits);

  /* Due, and the inbox is still full: the next wait is longer. */
  wait_until (sixth->next_try_at);
  before = now_seconds ();
  again = send_held_back (later, queue, ids[5], TTD_UPLOAD_FLAGS_DUE_ONLY, TTD_WAIT_PENDING_CAP);
  g_assert_cmpint (again->wait_count, ==, 2);
  g_assert_cmpint (again->next_try_at - before, >=, 4);
  g_assert_cmpint (emulator_fixture_count (fixture, "video_inits"), ==, inits + 1);

  /* The user acts on the drafts in the TikTok app; at the next try both go. */
  g_assert_cmpuint (ttd_emulator_act_on_drafts (fixture->emulator), ==, 5);
  wait_until (again->next_try_at);
  ttd_upload_result_free (send_item (later, queue, ids[5], TTD_UPLOAD_FLAGS_DUE_ONLY));
  ttd_upload_result_free (send_item (later, queue, ids[6], TTD_UPLOAD_FLAGS_DUE_ONLY));

  g_assert_cmpuint (queue_length (queue), ==, 0);
  g_assert_cmpuint (draft_count (fixture), ==, N_CAP_VIDEOS);
  for (guint i = 0; i < N_CAP_VIDEOS; i++)
    g_assert_cmpuint (delivered_count (fixture, shas[i]), ==, 1);
  g_assert_cmpint (emulator_fixture_count (fixture, "video_inits"), ==, inits + 3);

  /* A stale copy (a window that still shows it) neither queues it again
   * nor sends it twice. */
  g_assert_true (ttd_queue_upsert (queue, sixth, &error));
  g_assert_cmpuint (queue_length (queue), ==, 0);
  late = ttd_account_send_queue_item (fixture->account, queue, ids[5], TTD_UPLOAD_FLAGS_WAIT,
                                      NULL, NULL, NULL, &error);
  g_assert_null (late);
  g_assert_error (error, TTD_ERROR, TTD_ERROR_DELIVERED);
  g_assert_cmpuint (draft_count (fixture), ==, N_CAP_VIDEOS);

  for (guint i = 0; i < N_CAP_VIDEOS; i++)
    {
      g_free (ids[i]);
      g_free (shas[i]);
    }
}

/* TikTok's rate limit at init, after the sender waited a minute's worth
 * (shortened here): the item waits in the queue and goes at its next try. */
static void
test_rate_limit_waits (EmulatorFixture *fixture,
                       gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdQueue) queue = open_queue (fixture);
  g_autoptr(GFile) file = emulator_fixture_write_video (fixture, "busy.mp4", ONE_CHUNK, NULL);
  g_autoptr(TtdQueueItem) item = ttd_queue_add_video (queue, file, NULL, &error);
  g_autoptr(TtdQueueItem) held = NULL;
  g_autoptr(TtdQueueItem) early = NULL;
  g_autoptr(TtdUploadResult) result = NULL;

  g_assert_no_error (error);
  /* The first try and the four the sender makes itself: 1 + 2 + 4 + 8 s. */
  g_setenv ("TIKTOK_DRAFTS_RETRY_SECONDS", "1", TRUE);
  for (guint i = 0; i < 5; i++)
    g_assert_true (ttd_emulator_arm_fault (fixture->emulator, "rate-limit", NULL));

  held = send_held_back (fixture->account, queue, item->id, TTD_UPLOAD_FLAGS_NONE, TTD_WAIT_RATE_LIMIT);
  g_assert_cmpint (held->state, ==, TTD_QUEUE_STATE_QUEUED);
  g_assert_null (held->publish_id);
  g_assert_cmpint (emulator_fixture_count (fixture, "video_inits"), ==, 5);

  /* Before its next try (a second away) a retry of its own waits. */
  if (now_seconds () < held->next_try_at)
    {
      early = send_held_back (fixture->account, queue, item->id, TTD_UPLOAD_FLAGS_DUE_ONLY,
                              TTD_WAIT_RATE_LIMIT);
      g_assert_cmpint (emulator_fixture_count (fixture, "video_inits"), ==, 5);
    }

  wait_until (held->next_try_at);
  result = send_item (fixture->account, queue, item->id, TTD_UPLOAD_FLAGS_DUE_ONLY);
  g_setenv ("TIKTOK_DRAFTS_RETRY_SECONDS", "2", TRUE);
  g_assert_cmpint (emulator_fixture_count (fixture, "video_inits"), ==, 6);
  g_assert_cmpuint (draft_count (fixture), ==, 1);
  g_assert_cmpuint (queue_length (queue), ==, 0);
}

static void
cancel_when_processing (const TtdUploadProgress *progress,
                        gpointer                 user_data)
{
  if (progress->phase == TTD_UPLOAD_PHASE_PROCESSING)
    g_cancellable_cancel (user_data);
}

/* An item TikTok has, whose status checks met the rate limit, waits as
 * "processing" and is only checked on again: never a second init. */
static void
test_rate_limit_after_init (EmulatorFixture *fixture,
                            gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdQueue) queue = open_queue (fixture);
  g_autoptr(GFile) file = emulator_fixture_write_video (fixture, "sent.mp4", ONE_CHUNK, NULL);
  g_autoptr(TtdQueueItem) item = ttd_queue_add_video (queue, file, NULL, &error);
  g_autoptr(TtdQueueItem) stopped = NULL;
  g_autoptr(TtdQueueItem) held = NULL;
  g_autoptr(TtdUploadResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(TtdAccount) later = emulator_fixture_new_account (fixture);

  g_assert_no_error (error);
  result = ttd_account_send_queue_item (fixture->account, queue, item->id, TTD_UPLOAD_FLAGS_WAIT,
                                        cancel_when_processing, cancellable, cancellable, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  stopped = ttd_queue_lookup (queue, item->id, NULL);
  g_assert_cmpint (stopped->state, ==, TTD_QUEUE_STATE_PROCESSING);
  g_assert_nonnull (stopped->publish_id);

  /* Use up this token's status checks for the minute (30). */
  for (guint i = 0; i < 30; i++)
    {
      g_autoptr(TtdPublishStatus) status = ttd_account_fetch_status (fixture->account, stopped->publish_id,
                                                                     NULL, &error);

      g_assert_no_error (error);
    }

  held = send_held_back (fixture->account, queue, item->id, TTD_UPLOAD_FLAGS_NONE, TTD_WAIT_RATE_LIMIT);
  g_assert_cmpint (held->state, ==, TTD_QUEUE_STATE_PROCESSING);
  g_assert_cmpstr (held->publish_id, ==, stopped->publish_id);

  wait_until (held->next_try_at);
  result = send_item (later, queue, item->id, TTD_UPLOAD_FLAGS_DUE_ONLY);
  g_assert_cmpstr (result->publish_id, ==, stopped->publish_id);
  g_assert_cmpint (emulator_fixture_count (fixture, "video_inits"), ==, 1);
  g_assert_cmpuint (draft_count (fixture), ==, 1);
}

/* A retry of its own leaves an item another process is sending alone. */
static void
test_claimed_elsewhere_waits (EmulatorFixture *fixture,
                              gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdQueue) queue = open_queue (fixture);
  g_autoptr(GFile) file = emulator_fixture_write_video (fixture, "theirs.mp4", ONE_CHUNK, NULL);
  g_autoptr(TtdQueueItem) item = ttd_queue_add_video (queue, file, NULL, &error);
  g_autoptr(TtdUploadResult) result = NULL;

  g_assert_no_error (error);
  /* Our parent (the test runner) is alive: say it is sending the item. */
  item->owner_pid = getppid ();
  item->owner_start_time = ttd_process_start_time (getppid ());
  g_assert_true (ttd_queue_put (queue, item, &error));

  result = ttd_account_send_queue_item (fixture->account, queue, item->id,
                                        TTD_UPLOAD_FLAGS_DUE_ONLY | TTD_UPLOAD_FLAGS_WAIT,
                                        NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, TTD_WAIT_ERROR, TTD_WAIT_ELSEWHERE);
  g_assert_cmpint (ttd_wait_error_get_next_try (error), >, now_seconds ());
  assert_sentence (error->message);
  g_assert_cmpint (emulator_fixture_count (fixture, "video_inits"), ==, 0);
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

/* Puts @item back in @queue as held back by TikTok's cap for an hour. */
static void
hold_for_an_hour (TtdQueue     *queue,
                  TtdQueueItem *item)
{
  g_autoptr(GError) error = NULL;

  item->wait_reason = TTD_WAIT_PENDING_CAP;
  item->next_try_at = now_seconds () + 3600;
  item->wait_count = 1;
  g_assert_true (ttd_queue_put (queue, item, &error));
  g_assert_no_error (error);
}

/* TikTok's cap and rate limit are per account: an item another account is
 * waiting with does not hold back one of this account's; one of its own
 * does. */
static void
test_other_account_wait_no_hold (EmulatorFixture *fixture,
                                 gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdQueue) queue = open_queue (fixture);
  g_autoptr(GFile) theirs = emulator_fixture_write_video (fixture, "theirs.mp4", ONE_CHUNK, NULL);
  g_autoptr(GFile) ours = emulator_fixture_write_video (fixture, "ours.mp4", ONE_CHUNK + 1, NULL);
  g_autoptr(GFile) held_file = emulator_fixture_write_video (fixture, "held.mp4", ONE_CHUNK + 2, NULL);
  g_autoptr(GFile) next_file = emulator_fixture_write_video (fixture, "next.mp4", ONE_CHUNK + 3, NULL);
  g_autofree char *own_id = ttd_account_dup_open_id (fixture->account);
  g_autoptr(TtdQueueItem) waiting = ttd_queue_add_video (queue, theirs, "someone-else", &error);
  g_autoptr(TtdQueueItem) mine = NULL;
  g_autoptr(TtdQueueItem) held = NULL;
  g_autoptr(TtdQueueItem) next = NULL;
  g_autoptr(TtdQueueItem) kept = NULL;

  g_assert_no_error (error);
  hold_for_an_hour (queue, waiting);

  mine = ttd_queue_add_video (queue, ours, own_id, &error);
  g_assert_no_error (error);
  ttd_upload_result_free (send_item (fixture->account, queue, mine->id, TTD_UPLOAD_FLAGS_DUE_ONLY));
  g_assert_cmpint (emulator_fixture_count (fixture, "video_inits"), ==, 1);

  held = ttd_queue_add_video (queue, held_file, own_id, &error);
  g_assert_no_error (error);
  hold_for_an_hour (queue, held);
  next = ttd_queue_add_video (queue, next_file, own_id, &error);
  g_assert_no_error (error);
  kept = send_held_back (fixture->account, queue, next->id, TTD_UPLOAD_FLAGS_DUE_ONLY, TTD_WAIT_PENDING_CAP);
  g_assert_cmpint (kept->next_try_at, ==, held->next_try_at);
  g_assert_cmpint (emulator_fixture_count (fixture, "video_inits"), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* TikTok's waits in seconds instead of minutes. */
  g_setenv ("TIKTOK_DRAFTS_RETRY_SECONDS", "2", TRUE);

  g_test_add ("/ttd/sender/sent-once", EmulatorFixture, NULL,
              emulator_fixture_setup, test_sent_once, emulator_fixture_teardown);
  g_test_add ("/ttd/sender/resumed", EmulatorFixture, NULL,
              emulator_fixture_setup, test_resumed, emulator_fixture_teardown);
  g_test_add ("/ttd/sender/failure-recorded", EmulatorFixture, NULL,
              emulator_fixture_setup, test_failure_recorded, emulator_fixture_teardown);
  g_test_add ("/ttd/sender/pending-cap-waits", EmulatorFixture, NULL,
              emulator_fixture_setup, test_pending_cap_waits, emulator_fixture_teardown);
  g_test_add ("/ttd/sender/rate-limit-waits", EmulatorFixture, NULL,
              emulator_fixture_setup, test_rate_limit_waits, emulator_fixture_teardown);
  g_test_add ("/ttd/sender/rate-limit-after-init", EmulatorFixture, NULL,
              emulator_fixture_setup, test_rate_limit_after_init, emulator_fixture_teardown);
  g_test_add ("/ttd/sender/claimed-elsewhere-waits", EmulatorFixture, NULL,
              emulator_fixture_setup, test_claimed_elsewhere_waits, emulator_fixture_teardown);
  g_test_add ("/ttd/sender/other-account-wait-no-hold", EmulatorFixture, NULL,
              emulator_fixture_setup, test_other_account_wait_no_hold, emulator_fixture_teardown);
  g_test_add ("/ttd/sender/bound-to-account", EmulatorFixture, NULL,
              emulator_fixture_setup, test_bound_to_account, emulator_fixture_teardown);

  return g_test_run ();
}
