/* test-queue-item.c — the queue file read back from disk: every item checked on
 * its own, file names that are not UTF-8, upload addresses, and claims.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "ttd-core.h"

static char *workdir;

/* The queue logs what it leaves out, and where it kept the file. */
static void
expect_left_out (void)
{
  g_test_expect_message ("ttd-core", G_LOG_LEVEL_WARNING, "*was left out because*");
  g_test_expect_message ("ttd-core", G_LOG_LEVEL_WARNING, "*as it was is kept in*");
}

static TtdQueue *
queue_with (const char *name,
            const char *text,
            gssize      length)
{
  g_autofree char *path = g_build_filename (workdir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, length, NULL));
  return ttd_queue_new (path);
}

static TtdQueueItem *
find (GPtrArray  *items,
      const char *id)
{
  for (guint i = 0; i < items->len; i++)
    if (g_str_equal (((TtdQueueItem *) g_ptr_array_index (items, i))->id, id))
      return g_ptr_array_index (items, i);

  return NULL;
}

static gboolean
problems_mention (TtdQueue   *queue,
                  const char *text)
{
  g_auto(GStrv) problems = ttd_queue_take_problems (queue);

  for (guint i = 0; problems != NULL && problems[i] != NULL; i++)
    if (strstr (problems[i], text) != NULL)
      return TRUE;

  return FALSE;
}

#define GOOD(id) "{\"id\": \"" id "\", \"kind\": \"video\", \"state\": \"queued\", \"paths\": [\"/v/" id ".mp4\"]}"

/* A name that is not UTF-8 goes in and comes out byte for byte, and the
 * file stays readable for the next load. */
static void
test_non_utf8_name (void)
{
  g_autofree char *path = g_build_filename (workdir, "names.json", NULL);
  g_autoptr(TtdQueue) queue = ttd_queue_new (path);
  g_autoptr(TtdQueueItem) item = ttd_queue_item_new (TTD_QUEUE_KIND_VIDEO);
  g_autoptr(TtdQueueItem) other = ttd_queue_item_new (TTD_QUEUE_KIND_VIDEO);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *aside = g_strconcat (path, ".damaged", NULL);

  item->paths = g_new0 (char *, 2);
  item->paths[0] = g_strdup ("/videos/clip-\xff\xfe.mp4");
  other->paths = g_new0 (char *, 2);
  other->paths[0] = g_strdup ("/videos/plain é.mp4");
  g_assert_true (ttd_queue_put (queue, item, &error));
  g_assert_true (ttd_queue_put (queue, other, &error));

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_nonnull (strstr (text, "\"/videos/plain é.mp4\""));

  items = ttd_queue_list (queue, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (find (items, item->id)->paths[0], ==, "/videos/clip-\xff\xfe.mp4");
  g_assert_cmpstr (find (items, other->id)->paths[0], ==, "/videos/plain é.mp4");
  g_assert_null (ttd_queue_take_problems (queue));
  g_assert_false (g_file_test (aside, G_FILE_TEST_EXISTS));
}

/* A file from an earlier version, with raw bytes in one name: that item
 * alone is lost, with a message, and the file is kept aside. */
static void
test_old_raw_bytes (void)
{
  static const char text[] =
    "{\"version\": 1, \"items\": [" GOOD ("a") ", "
    "{\"id\": \"raw\", \"kind\": \"video\", \"state\": \"queued\", \"paths\": [\"/v/clip-\xff.mp4\"]}, "
    GOOD ("b") "]}";
  g_autoptr(TtdQueue) queue = queue_with ("raw.json", text, sizeof text - 1);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *aside = g_strconcat (ttd_queue_get_path (queue), ".damaged", NULL);
  g_autofree char *kept = NULL;
  gsize length;

  expect_left_out ();
  items = ttd_queue_list (queue, NULL);
  g_test_assert_expected_messages ();
  g_assert_nonnull (items);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_nonnull (find (items, "a"));
  g_assert_nonnull (find (items, "b"));
  g_assert_true (problems_mention (queue, "list of files"));

  g_assert_true (g_file_get_contents (aside, &kept, &length, NULL));
  g_assert_cmpmem (kept, length, text, sizeof text - 1);

  /* said once: what is left is saved */
  again = ttd_queue_list (queue, NULL);
  g_assert_cmpuint (again->len, ==, 2);
  g_assert_null (ttd_queue_take_problems (queue));
}

/* Items that are not what the queue writes are left out one by one. */
static void
test_bad_items (void)
{
  static const char *bad[] = {
    "{\"id\": \"no-paths\", \"kind\": \"video\", \"state\": \"sending\"}",
    "{\"id\": \"paths-string\", \"kind\": \"video\", \"state\": \"queued\", \"paths\": \"/v/x.mp4\"}",
    "{\"id\": \"paths-empty\", \"kind\": \"slideshow\", \"state\": \"queued\", \"paths\": []}",
    "{\"id\": \"paths-numbers\", \"kind\": \"video\", \"state\": \"queued\", \"paths\": [1]}",
    "{\"id\": \"paths-null\", \"kind\": \"video\", \"state\": \"queued\", \"paths\": [null]}",
    "{\"id\": \"paths-object\", \"kind\": \"video\", \"state\": \"queued\", \"paths\": {\"a\": 1}}",
    "{\"id\": \"two-videos\", \"kind\": \"video\", \"state\": \"queued\", \"paths\": [\"/a\", \"/b\"]}",
    "{\"id\": 7, \"kind\": \"video\", \"state\": \"queued\", \"paths\": [\"/v/x.mp4\"]}",
    "{\"kind\": \"video\", \"state\": \"queued\", \"paths\": [\"/v/x.mp4\"]}",
    "{\"id\": \"kind\", \"kind\": \"poster\", \"state\": \"queued\", \"paths\": [\"/v/x.mp4\"]}",
    "{\"id\": \"state\", \"kind\": \"video\", \"state\": 3, \"paths\": [\"/v/x.mp4\"]}",
    "{\"id\": \"title\", \"kind\": \"video\", \"state\": \"queued\", \"paths\": [\"/v/x.mp4\"], \"title\": [1]}",
    "{\"id\": \"url\", \"kind\": \"video\", \"state\": \"queued\", \"paths\": [\"/v/x.mp4\"], \"upload_url\": 5}",
    "{\"id\": \"size\", \"kind\": \"video\", \"state\": \"queued\", \"paths\": [\"/v/x.mp4\"], \"file_size\": \"9\"}",
    "{\"id\": \"negative\", \"kind\": \"video\", \"state\": \"queued\", \"paths\": [\"/v/x.mp4\"], \"acknowledged\": -4}",
    "{\"id\": \"pid\", \"kind\": \"video\", \"state\": \"queued\", \"paths\": [\"/v/x.mp4\"], \"owner_pid\": 99999999999}",
    "{\"id\": \"cover\", \"kind\": \"slideshow\", \"state\": \"queued\", \"paths\": [\"/p/1.jpg\"], \"cover_index\": 1}",
    "[\"not\", \"an\", \"object\"]",
    "\"text\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"items\": [" GOOD ("first") ", %s, " GOOD ("last") "]}", bad[i]);
      g_autoptr(TtdQueue) queue = queue_with ("bad.json", text, -1);
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(TtdQueueItem) missing = NULL;

      g_test_message ("%s", bad[i]);
      expect_left_out ();
      items = ttd_queue_list (queue, &error);
      g_test_assert_expected_messages ();
      g_assert_no_error (error);
      g_assert_cmpuint (items->len, ==, 2);
      g_assert_nonnull (find (items, "first"));
      g_assert_nonnull (find (items, "last"));
      g_assert_true (problems_mention (queue, "left out"));

      /* what was left out is not there to send: a sentence, not a crash */
      missing = ttd_queue_lookup (queue, "no-paths", &error);
      g_assert_null (missing);
      g_assert_error (error, TTD_ERROR, TTD_ERROR_FAILED);
      g_clear_error (&error);
      g_assert_false (ttd_queue_claim (queue, "no-paths", &error));
      g_assert_error (error, TTD_ERROR, TTD_ERROR_FAILED);
    }
}

/* An upload address that is not https (except to this machine) is never
 * used: the upload starts again from init instead. */
static void
test_upload_url (void)
{
  static const struct { const char *url; gboolean kept; } cases[] = {
    { "https://open-upload.tiktokapis.com/upload/?id=1", TRUE },
    { "http://127.0.0.1:8080/upload/1", TRUE },
    { "http://[::1]:8080/upload/1", TRUE },
    { "http://open-upload.tiktokapis.com/upload/?id=1", FALSE },
    { "http://127.0.0.1.evil.example/upload/1", FALSE },
    { "ftp://example.com/upload", FALSE },
    { "not a url", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf (
        "{\"items\": [{\"id\": \"u\", \"kind\": \"video\", \"state\": \"sending\", \"paths\": [\"/v/x.mp4\"],"
        " \"publish_id\": \"v_inbox_file~1\", \"upload_url\": \"%s\", \"upload_url_issued_at\": 100,"
        " \"acknowledged\": 10000000, \"file_size\": 20000000}]}", cases[i].url);
      g_autoptr(TtdQueue) queue = queue_with ("url.json", text, -1);
      g_autoptr(TtdQueueItem) item = NULL;

      g_test_message ("%s", cases[i].url);
      if (!cases[i].kept)
        g_test_expect_message ("ttd-core", G_LOG_LEVEL_WARNING, "*does not use https*");
      item = ttd_queue_lookup (queue, "u", NULL);
      g_test_assert_expected_messages ();
      g_assert_nonnull (item);
      if (cases[i].kept)
        {
          g_assert_cmpstr (item->upload_url, ==, cases[i].url);
          g_assert_cmpint (item->acknowledged, ==, 10000000);
        }
      else
        {
          g_assert_null (item->upload_url);
          g_assert_cmpint (item->acknowledged, ==, 0);
          g_assert_cmpint (item->upload_url_issued_at, ==, 0);
        }
    }
}

static gint64
start_time_of (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  fields = g_strsplit (strrchr (text, ')') + 2, " ", -1);
  return g_ascii_strtoll (fields[19], NULL, 10);
}

static gboolean
claim_with_owner (gint64      pid,
                  const char *start_time,
                  GError    **error)
{
  g_autofree char *text = g_strdup_printf (
    "{\"items\": [{\"id\": \"c\", \"kind\": \"video\", \"state\": \"sending\", \"paths\": [\"/v/x.mp4\"],"
    " \"owner_pid\": %" G_GINT64_FORMAT "%s%s}]}", pid, start_time ? ", \"owner_start_time\": " : "",
    start_time ? start_time : "");
  g_autoptr(TtdQueue) queue = queue_with ("claim.json", text, -1);
  g_autoptr(TtdQueueItem) item = NULL;

  if (!ttd_queue_claim (queue, "c", error))
    return FALSE;

  item = ttd_queue_lookup (queue, "c", NULL);
  g_assert_cmpint (item->owner_pid, ==, getpid ());
  g_assert_cmpint (item->owner_start_time, ==, start_time_of (getpid ()));
  g_assert_false (ttd_queue_item_is_claimed_elsewhere (item));
  return TRUE;
}

/* A claim holds only while the process that made it runs: same pid, same
 * start time. */
static void
test_claims (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *child_start = NULL;
  g_autofree char *other_start = NULL;
  pid_t child;
  int status;

  /* pid 1 (always alive), with no start time or a wrong one */
  g_assert_true (claim_with_owner (1, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (claim_with_owner (1, "12", &error));
  g_assert_no_error (error);

  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      pause ();
      _exit (0);
    }

  /* the running owner keeps it */
  child_start = g_strdup_printf ("%" G_GINT64_FORMAT, start_time_of (child));
  g_assert_false (claim_with_owner (child, child_start, &error));
  g_assert_error (error, TTD_ERROR, TTD_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "already being sent"));
  g_clear_error (&error);

  /* the same pid with another start time is another process */
  other_start = g_strdup_printf ("%" G_GINT64_FORMAT, start_time_of (child) + 1);
  g_assert_true (claim_with_owner (child, other_start, &error));
  g_assert_no_error (error);

  kill (child, SIGKILL);
  waitpid (child, &status, 0);

  /* and a process that is gone holds nothing */
  g_assert_true (claim_with_owner (child, child_start, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  workdir = g_dir_make_tmp ("ttd-test-queue-XXXXXX", NULL);

  g_test_add_func ("/ttd/queue/non-utf8-name", test_non_utf8_name);
  g_test_add_func ("/ttd/queue/old-raw-bytes", test_old_raw_bytes);
  g_test_add_func ("/ttd/queue/bad-items", test_bad_items);
  g_test_add_func ("/ttd/queue/upload-url", test_upload_url);
  g_test_add_func ("/ttd/queue/claims", test_claims);

  status = g_test_run ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", workdir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  return status;
}
