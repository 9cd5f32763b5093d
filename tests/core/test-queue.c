/* test-queue.c — ttd-queue: the upload queue on disk
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ttd-core.h"

typedef struct
{
  char *dir;
  char *path;
  TtdQueue *queue;
} QueueFixture;

static void
queue_fixture_setup (QueueFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("ttd-queue-XXXXXX", &error);
  g_assert_no_error (error);
  /* A directory that does not exist yet: the queue makes it. */
  fixture->path = g_build_filename (fixture->dir, "tiktok-drafts", "queue.json", NULL);
  fixture->queue = ttd_queue_new (fixture->path);
}

static void
queue_fixture_teardown (QueueFixture  *fixture,
                        gconstpointer  data)
{
  g_autofree char *sub = g_path_get_dirname (fixture->path);
  g_autoptr(GDir) dir = g_dir_open (sub, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (sub, name, NULL);

      g_unlink (child);
    }
  g_rmdir (sub);
  g_rmdir (fixture->dir);
  g_clear_object (&fixture->queue);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static TtdQueueItem *
make_item (const char *id)
{
  TtdQueueItem *item = ttd_queue_item_new (TTD_QUEUE_KIND_SLIDESHOW);

  g_free (item->id);
  item->id = g_strdup (id);
  item->paths = g_strsplit ("/photos/a.jpg|/photos/b é.png", "|", -1);
  item->title = g_strdup ("Title “quoted”");
  item->description = g_strdup ("Line one\nline two #tag");
  item->cover_index = 1;
  item->state = TTD_QUEUE_STATE_PROCESSING;
  item->publish_id = g_strdup ("p_pub_url~v2.123");
  item->upload_url = g_strdup ("https://open-upload.tiktokapis.com/upload?upload_id=1");
  item->upload_url_issued_at = 1700000000;
  item->acknowledged = 33554432;
  item->chunk_size = 16777216;
  item->chunk_count = 3;
  item->file_size = 64000001;
  item->file_mtime = 1690000000;
  item->status = g_strdup ("PROCESSING_DOWNLOAD");
  item->error = g_strdup ("A sentence for the user.");
  item->wait_reason = TTD_WAIT_RATE_LIMIT;
  item->next_try_at = 1700000300;
  item->wait_count = 3;
  item->created_at = 1600000000;

  return item;
}

static void
assert_items_equal (const TtdQueueItem *a,
                    const TtdQueueItem *b)
{
  g_assert_cmpstr (a->id, ==, b->id);
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_true (g_strv_equal ((const char * const *) a->paths, (const char * const *) b->paths));
  g_assert_cmpstr (a->title, ==, b->title);
  g_assert_cmpstr (a->description, ==, b->description);
  g_assert_cmpuint (a->cover_index, ==, b->cover_index);
  g_assert_cmpint (a->state, ==, b->state);
  g_assert_cmpstr (a->publish_id, ==, b->publish_id);
  g_assert_cmpstr (a->upload_url, ==, b->upload_url);
  g_assert_cmpint (a->upload_url_issued_at, ==, b->upload_url_issued_at);
  g_assert_cmpint (a->acknowledged, ==, b->acknowledged);
  g_assert_cmpint (a->chunk_size, ==, b->chunk_size);
  g_assert_cmpint (a->chunk_count, ==, b->chunk_count);
  g_assert_cmpint (a->file_size, ==, b->file_size);
  g_assert_cmpint (a->file_mtime, ==, b->file_mtime);
  g_assert_cmpstr (a->status, ==, b->status);
  g_assert_cmpstr (a->error, ==, b->error);
  g_assert_cmpint (a->wait_reason, ==, b->wait_reason);
  g_assert_cmpint (a->next_try_at, ==, b->next_try_at);
  g_assert_cmpint (a->wait_count, ==, b->wait_count);
  g_assert_cmpint (a->created_at, ==, b->created_at);
}

/* Everything written comes back, also through a second TtdQueue (another
 * window or the CLI). */
static void
test_round_trip (QueueFixture  *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdQueueItem) item = make_item ("item-1");
  g_autoptr(TtdQueue) other = ttd_queue_new (fixture->path);
  g_autoptr(TtdQueueItem) loaded = NULL;
  g_autoptr(GPtrArray) items = NULL;

  items = ttd_queue_list (fixture->queue, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 0);
  g_clear_pointer (&items, g_ptr_array_unref);

  g_assert_true (ttd_queue_put (fixture->queue, item, &error));
  g_assert_no_error (error);
  loaded = ttd_queue_lookup (other, "item-1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  assert_items_equal (item, loaded);
  g_assert_cmpint (loaded->updated_at, >, 0);

  g_assert_true (ttd_queue_remove (other, "item-1", &error));
  items = ttd_queue_list (fixture->queue, &error);
  g_assert_cmpuint (items->len, ==, 0);
  g_assert_null (ttd_queue_lookup (fixture->queue, "item-1", &error));
  g_assert_error (error, TTD_ERROR, TTD_ERROR_FAILED);
}

static ino_t
inode_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_ino;
}

/* Every save is a new file renamed over the old one (a crash leaves one
 * or the other, never half), only the user can read it, and no temporary
 * file is left behind. */
static void
test_atomic_private (QueueFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdQueueItem) item = make_item ("item-1");
  g_autofree char *sub = g_path_get_dirname (fixture->path);
  g_autoptr(GDir) dir = NULL;
  const char *name;
  GStatBuf st;
  ino_t before;

  g_assert_true (ttd_queue_put (fixture->queue, item, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (sub, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  before = inode_of (fixture->path);
  item->acknowledged = 0;
  g_assert_true (ttd_queue_put (fixture->queue, item, &error));
  g_assert_cmpuint (inode_of (fixture->path), !=, before);
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  dir = g_dir_open (sub, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_true (g_str_equal (name, "queue.json") || g_str_equal (name, "queue.json.lock"));
}

static pid_t
dead_pid (void)
{
  pid_t pid = fork ();
  int status;

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    _exit (0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return pid;
}

/* Field 22 of /proc/PID/stat: when the process started, as the queue
 * records it beside the pid. */
static gint64
start_time_of (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  g_assert_true (g_file_get_contents (path, &stat, NULL, NULL));
  after_name = strrchr (stat, ')');
  g_assert_nonnull (after_name);
  fields = g_strsplit (after_name + 2, " ", -1);
  g_assert_cmpuint (g_strv_length (fields), >, 19);
  return g_ascii_strtoll (fields[19], NULL, 10);
}

/* One sender at a time: a living process's claim holds, a dead one's
 * does not, and a release gives the item up. */
static void
test_claim_release (QueueFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdQueueItem) item = make_item ("item-1");
  g_autoptr(TtdQueueItem) loaded = NULL;

  g_assert_true (ttd_queue_put (fixture->queue, item, &error));
  g_assert_true (ttd_queue_claim (fixture->queue, "item-1", &error));
  g_assert_no_error (error);
  loaded = ttd_queue_lookup (fixture->queue, "item-1", &error);
  g_assert_cmpint (loaded->owner_pid, ==, getpid ());
  g_clear_pointer (&loaded, ttd_queue_item_free);

  /* Claiming again from the same process is fine. */
  g_assert_true (ttd_queue_claim (fixture->queue, "item-1", &error));
  g_assert_true (ttd_queue_release (fixture->queue, "item-1", &error));
  loaded = ttd_queue_lookup (fixture->queue, "item-1", &error);
  g_assert_cmpint (loaded->owner_pid, ==, 0);
  g_clear_pointer (&loaded, ttd_queue_item_free);

  /* Another living process (our parent) is sending it. */
  item->owner_pid = getppid ();
  item->owner_start_time = start_time_of (getppid ());
  g_assert_true (ttd_queue_put (fixture->queue, item, &error));
  g_assert_false (ttd_queue_claim (fixture->queue, "item-1", &error));
  g_assert_error (error, TTD_ERROR, TTD_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "already being sent"));
  g_clear_error (&error);
  /* …and a release from us does not take it from them. */
  g_assert_true (ttd_queue_release (fixture->queue, "item-1", &error));
  loaded = ttd_queue_lookup (fixture->queue, "item-1", &error);
  g_assert_cmpint (loaded->owner_pid, ==, getppid ());
  g_clear_pointer (&loaded, ttd_queue_item_free);

  /* A sender that died (kill -9) does not block the item. */
  item->owner_pid = dead_pid ();
  g_assert_true (ttd_queue_put (fixture->queue, item, &error));
  g_assert_true (ttd_queue_claim (fixture->queue, "item-1", &error));
  g_assert_no_error (error);

  g_assert_false (ttd_queue_claim (fixture->queue, "no-such-item", &error));
  g_assert_error (error, TTD_ERROR, TTD_ERROR_FAILED);
}

/* A queue file that cannot be read is kept aside, never overwritten. */
static void
test_damaged (QueueFixture  *fixture,
              gconstpointer  data)
{
  static const char garbage[] = "{\"items\": [ {\"id\": \"cut off";
  g_autoptr(GError) error = NULL;
  g_autofree char *aside = g_strconcat (fixture->path, ".damaged", NULL);
  g_autofree char *sub = g_path_get_dirname (fixture->path);
  g_autofree char *kept = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(TtdQueueItem) item = make_item ("item-1");

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  g_file_set_contents (fixture->path, garbage, -1, &error);
  g_assert_no_error (error);

  g_test_expect_message ("ttd-core", G_LOG_LEVEL_WARNING, "*could not be read*");
  items = ttd_queue_list (fixture->queue, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 0);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  g_file_get_contents (aside, &kept, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kept, ==, garbage);

  /* The queue goes on from empty. */
  g_assert_true (ttd_queue_put (fixture->queue, item, &error));
  g_clear_pointer (&items, g_ptr_array_unref);
  items = ttd_queue_list (fixture->queue, &error);
  g_assert_cmpuint (items->len, ==, 1);
}

#define N_WRITERS 4
#define N_PUTS    10

typedef struct
{
  TtdQueue *queue;
  guint     writer;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;

  for (guint i = 0; i < N_PUTS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id = g_strdup_printf ("writer-%u-item-%u", writer->writer, i);
      g_autoptr(TtdQueueItem) item = make_item (id);

      g_assert_true (ttd_queue_put (writer->queue, item, &error));
      g_assert_no_error (error);
      g_assert_true (ttd_queue_claim (writer->queue, id, &error));
      g_assert_no_error (error);
    }

  return NULL;
}

/* Transactions from several threads, half of them through their own
 * TtdQueue (so only the file lock orders them), lose nothing. */
static void
test_concurrent (QueueFixture  *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  TtdQueue *queues[N_WRITERS];
  GThread *threads[N_WRITERS];
  Writer writers[N_WRITERS];

  for (guint w = 0; w < N_WRITERS; w++)
    {
      queues[w] = w % 2 == 0 ? g_object_ref (fixture->queue) : ttd_queue_new (fixture->path);
      writers[w] = (Writer) { queues[w], w };
      threads[w] = g_thread_new ("writer", writer_thread, &writers[w]);
    }
  for (guint w = 0; w < N_WRITERS; w++)
    {
      g_thread_join (threads[w]);
      g_object_unref (queues[w]);
    }

  items = ttd_queue_list (fixture->queue, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, N_WRITERS * N_PUTS);
  for (guint i = 0; i < items->len; i++)
    {
      TtdQueueItem *item = g_ptr_array_index (items, i);

      g_assert_cmpint (item->owner_pid, ==, getpid ());
    }
}

/* A delivered item leaves the queue and cannot come back: not by a save
 * of a stale copy (a window that still shows it), not by a claim. */
static void
test_delivered (QueueFixture  *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdQueueItem) item = make_item ("item-1");
  g_autoptr(TtdQueueItem) other = make_item ("item-2");
  g_autoptr(TtdQueueItem) requeued = NULL;
  g_autoptr(TtdQueue) elsewhere = ttd_queue_new (fixture->path);
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *text = NULL;

  g_assert_true (ttd_queue_put (fixture->queue, item, &error));
  g_assert_true (ttd_queue_put (fixture->queue, other, &error));
  g_assert_true (ttd_queue_mark_delivered (fixture->queue, "item-1", &error));
  g_assert_no_error (error);

  /* Another process's stale copy goes nowhere. */
  g_assert_true (ttd_queue_upsert (elsewhere, item, &error));
  g_assert_true (ttd_queue_put (elsewhere, item, &error));
  g_assert_no_error (error);
  items = ttd_queue_list (elsewhere, &error);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (((TtdQueueItem *) g_ptr_array_index (items, 0))->id, ==, "item-2");

  g_assert_false (ttd_queue_claim (elsewhere, "item-1", &error));
  g_assert_error (error, TTD_ERROR, TTD_ERROR_DELIVERED);
  g_assert_nonnull (strstr (error->message, "inbox"));
  g_clear_error (&error);

  /* An item that was only removed (by the user) may be queued again. */
  g_assert_true (ttd_queue_remove (fixture->queue, "item-2", &error));
  g_assert_true (ttd_queue_put (elsewhere, other, &error));
  requeued = ttd_queue_lookup (fixture->queue, "item-2", &error);
  g_assert_nonnull (requeued);
  g_assert_false (ttd_queue_claim (fixture->queue, "no-such-item", &error));
  g_assert_error (error, TTD_ERROR, TTD_ERROR_FAILED);
  g_clear_error (&error);

  /* The file keeps its id, for every process that opens it. */
  g_assert_true (g_file_get_contents (fixture->path, &text, NULL, &error));
  g_assert_nonnull (strstr (text, "\"delivered\""));
  g_assert_nonnull (strstr (strstr (text, "\"delivered\""), "\"item-1\""));
}

/* TikTok's waits: minutes for the pending cap, TikTok's minute for the
 * rate limit, longer each time, capped, a little random; the environment
 * sets the first step. */
static void
test_retry_delays (void)
{
  static const struct
  {
    TtdWaitReason reason;
    guint         attempt;
    guint         least;
  } cases[] = {
    { TTD_WAIT_PENDING_CAP, 0, 120 },
    { TTD_WAIT_PENDING_CAP, 1, 240 },
    { TTD_WAIT_PENDING_CAP, 3, 960 },
    { TTD_WAIT_PENDING_CAP, 40, 960 },
    { TTD_WAIT_RATE_LIMIT, 0, 60 },
    { TTD_WAIT_RATE_LIMIT, 2, 240 },
    { TTD_WAIT_RATE_LIMIT, 9, 300 },
  };
  gboolean spread = FALSE;

  g_unsetenv ("TIKTOK_DRAFTS_RETRY_SECONDS");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint n = 0; n < 50; n++)
      {
        guint delay = ttd_retry_delay_seconds (cases[i].reason, cases[i].attempt);

        g_assert_cmpuint (delay, >=, cases[i].least);
        g_assert_cmpuint (delay, <=, cases[i].least + cases[i].least / 5);
        spread |= delay != cases[i].least;
      }
  g_assert_true (spread);

  g_setenv ("TIKTOK_DRAFTS_RETRY_SECONDS", "2", TRUE);
  g_assert_cmpuint (ttd_retry_delay_seconds (TTD_WAIT_PENDING_CAP, 0), ==, 2);
  g_assert_cmpuint (ttd_retry_delay_seconds (TTD_WAIT_PENDING_CAP, 1), ==, 4);
  g_assert_cmpuint (ttd_retry_delay_seconds (TTD_WAIT_PENDING_CAP, 9), <=, 16 + 3);
  g_assert_cmpuint (ttd_retry_delay_seconds (TTD_WAIT_RATE_LIMIT, 9), <=, 10 + 2);
  g_setenv ("TIKTOK_DRAFTS_RETRY_SECONDS", "nonsense", TRUE);
  g_assert_cmpuint (ttd_retry_delay_seconds (TTD_WAIT_RATE_LIMIT, 0), >=, 60);
  g_unsetenv ("TIKTOK_DRAFTS_RETRY_SECONDS");

  g_assert_cmpint (ttd_wait_reason_from_string (ttd_wait_reason_to_string (TTD_WAIT_PENDING_CAP)), ==,
                   TTD_WAIT_PENDING_CAP);
  g_assert_cmpint (ttd_wait_reason_from_string ("something-new"), ==, TTD_WAIT_NONE);
}

/* The error a held-back item fails with carries its next try and says it
 * in one sentence, with TikTok's log ID. */
static void
test_wait_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  g_autofree char *when = ttd_wait_format_time (1700000000);
  g_autofree char *log_id = NULL;

  ttd_wait_set_error (&error, TTD_WAIT_PENDING_CAP, 1700000000, "20240101LOGID");
  g_assert_error (error, TTD_WAIT_ERROR, TTD_WAIT_PENDING_CAP);
  g_assert_cmpint (ttd_wait_error_get_next_try (error), ==, 1700000000);
  g_assert_nonnull (strstr (error->message, when));
  g_assert_true (g_str_has_suffix (error->message, ". (TikTok log ID: 20240101LOGID)"));
  log_id = ttd_error_dup_log_id (error);
  g_assert_cmpstr (log_id, ==, "20240101LOGID");

  copy = g_error_copy (error);
  g_assert_cmpint (ttd_wait_error_get_next_try (copy), ==, 1700000000);
  g_clear_error (&error);

  g_set_error_literal (&error, TTD_ERROR, TTD_ERROR_FAILED, "Something else.");
  g_assert_cmpint (ttd_wait_error_get_next_try (error), ==, 0);
  g_assert_cmpuint (strlen (when), ==, 5);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/ttd/queue/round-trip", QueueFixture, NULL,
              queue_fixture_setup, test_round_trip, queue_fixture_teardown);
  g_test_add ("/ttd/queue/atomic-and-private", QueueFixture, NULL,
              queue_fixture_setup, test_atomic_private, queue_fixture_teardown);
  g_test_add ("/ttd/queue/claim-release", QueueFixture, NULL,
              queue_fixture_setup, test_claim_release, queue_fixture_teardown);
  g_test_add ("/ttd/queue/damaged", QueueFixture, NULL,
              queue_fixture_setup, test_damaged, queue_fixture_teardown);
  g_test_add ("/ttd/queue/concurrent", QueueFixture, NULL,
              queue_fixture_setup, test_concurrent, queue_fixture_teardown);
  g_test_add ("/ttd/queue/delivered", QueueFixture, NULL,
              queue_fixture_setup, test_delivered, queue_fixture_teardown);
  g_test_add_func ("/ttd/queue/retry-delays", test_retry_delays);
  g_test_add_func ("/ttd/queue/wait-error", test_wait_error);

  return g_test_run ();
}
