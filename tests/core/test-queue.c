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

  return g_test_run ();
}
