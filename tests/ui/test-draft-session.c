/* test-draft-session.c — TtdDraftSession without a window (suite "ui")
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model the windows show: files and folders in, the order things go
 * in, the queue on disk written and read back, and a send to the TikTok
 * emulator ($TTD_EMULATOR) with a real sign-in through the loopback
 * listener, and what TikTok holds back sent again by the session's own
 * timer. No display: the session has no widget.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "ttd-draft-session-private.h"
#include "ttd-ui-test.h"

static char *tmpdir;

typedef struct
{
  GPtrArray *messages;   /* what ::message said */
  guint      n_finished;
  guint      n_sent;
  guint      n_failed;
  gboolean   stopped;
} Observer;

static void
message_cb (TtdDraftSession *session,
            const char      *message,
            Observer        *observer)
{
  g_ptr_array_add (observer->messages, g_strdup (message));
}

static void
send_finished_cb (TtdDraftSession *session,
                  guint            n_sent,
                  guint            n_failed,
                  gboolean         stopped,
                  Observer        *observer)
{
  observer->n_finished++;
  observer->n_sent = n_sent;
  observer->n_failed = n_failed;
  observer->stopped = stopped;
}

static void
observer_init (Observer        *observer,
               TtdDraftSession *session)
{
  observer->messages = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (session, "message", G_CALLBACK (message_cb), observer);
  g_signal_connect (session, "send-finished", G_CALLBACK (send_finished_cb), observer);
}

static void
observer_clear (Observer        *observer,
                TtdDraftSession *session)
{
  g_signal_handlers_disconnect_by_data (session, observer);
  g_clear_pointer (&observer->messages, g_ptr_array_unref);
}

static gboolean
said (Observer   *observer,
      const char *text)
{
  for (guint i = 0; i < observer->messages->len; i++)
    if (strstr (g_ptr_array_index (observer->messages, i), text) != NULL)
      return TRUE;

  return FALSE;
}

static gboolean
has_messages (gpointer data)
{
  return ((Observer *) data)->messages->len > 0;
}

static TtdQueue *
new_queue (const char *name)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);

  return ttd_queue_new (path);
}

static guint
n_items (TtdDraftSession *session)
{
  return g_list_model_get_n_items (ttd_draft_session_get_items (session));
}

static TtdUploadItem *
item_at (TtdDraftSession *session,
         guint            position)
{
  g_autoptr(TtdUploadItem) item = g_list_model_get_item (ttd_draft_session_get_items (session),
                                                         position);

  return item;  /* the session keeps it */
}

static char *
image_name (TtdUploadItem *slideshow,
            guint          position)
{
  g_autoptr(TtdUploadItem) image =
    g_list_model_get_item (G_LIST_MODEL (ttd_upload_item_get_images (slideshow)), position);

  return g_file_get_basename (ttd_upload_item_get_file (image));
}

static guint
n_images (TtdUploadItem *slideshow)
{
  return g_list_model_get_n_items (G_LIST_MODEL (ttd_upload_item_get_images (slideshow)));
}

static gboolean
saved (gpointer data)
{
  TtdDraftSession *session = data;

  return session->queue_save_id == 0 && !session->queue_saving;
}

static gboolean
has_two_items (gpointer data)
{
  return n_items (data) == 2 && n_images (item_at (data, 0)) == 3;
}

/* A folder expands to the media inside it, in name order and recursively;
 * hidden files and what is not media inside it are skipped quietly, what
 * was given directly and is not media is named, and nothing comes twice. */
static void
test_folder_intake (void)
{
  g_autofree char *folder_path = g_build_filename (tmpdir, "trip", NULL);
  g_autofree char *nested_path = g_build_filename (tmpdir, "trip", "sub", NULL);
  g_autofree char *junk_path = g_build_filename (tmpdir, "trip", "readme.txt", NULL);
  g_autofree char *notes_path = g_build_filename (tmpdir, "notes.txt", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autoptr(GFile) notes = g_file_new_for_path (notes_path);
  g_autoptr(GFile) b = NULL, a = NULL, c = NULL, hidden = NULL, clip = NULL;
  g_autoptr(TtdQueue) queue = new_queue ("intake.json");
  g_autoptr(TtdDraftSession) session = ttd_draft_session_new (queue);
  g_autofree char *first = NULL, *second = NULL, *third = NULL;
  GFile *files[2] = { folder, notes };
  Observer observer = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (nested_path, 0755), ==, 0);
  b = ttd_test_write_png (tmpdir, "trip/b.png", 0x1c71d8ff, 64, 48);
  a = ttd_test_write_png (tmpdir, "trip/a.png", 0xe66100ff, 64, 48);
  c = ttd_test_write_png (tmpdir, "trip/sub/c.png", 0x26a269ff, 48, 64);
  hidden = ttd_test_write_png (tmpdir, "trip/.hidden.png", 0x000000ff, 8, 8);
  clip = ttd_test_write_video (tmpdir, "trip/clip.mp4", 64 * 1024);
  g_assert_true (g_file_set_contents (junk_path, "not media", -1, NULL));
  g_assert_true (g_file_set_contents (notes_path, "not media", -1, NULL));
  observer_init (&observer, session);

  ttd_draft_session_add_files (session, files, G_N_ELEMENTS (files));
  ttd_test_wait_until (has_two_items, session, 5000);
  g_assert_cmpuint (n_items (session), ==, 2);

  /* The slideshow came with the first picture, before the video. */
  g_assert_cmpint (ttd_upload_item_get_kind (item_at (session, 0)), ==, TTD_UPLOAD_ITEM_SLIDESHOW);
  first = image_name (item_at (session, 0), 0);
  second = image_name (item_at (session, 0), 1);
  third = image_name (item_at (session, 0), 2);
  g_assert_cmpstr (first, ==, "a.png");
  g_assert_cmpstr (second, ==, "b.png");
  g_assert_cmpstr (third, ==, "c.png");
  g_assert_cmpint (ttd_upload_item_get_kind (item_at (session, 1)), ==, TTD_UPLOAD_ITEM_VIDEO);
  g_assert_true (g_file_equal (ttd_upload_item_get_file (item_at (session, 1)), clip));
  g_assert_true (ttd_draft_session_find_slideshow (session) == item_at (session, 0));

  ttd_test_wait_until (has_messages, &observer, 2000);
  g_assert_cmpuint (observer.messages->len, ==, 1);
  g_assert_true (said (&observer, "notes.txt"));
  g_assert_false (said (&observer, "readme.txt"));

  /* The same folder again adds nothing, and says so. */
  g_ptr_array_set_size (observer.messages, 0);
  files[0] = folder;
  ttd_draft_session_add_files (session, files, 1);
  ttd_test_wait_until (has_messages, &observer, 5000);
  g_assert_true (said (&observer, "Already in the list"));
  g_assert_cmpuint (n_items (session), ==, 2);
  g_assert_cmpuint (n_images (item_at (session, 0)), ==, 3);

  /* A picture goes; the slideshow goes with its last one. */
  {
    g_autoptr(TtdUploadItem) slideshow = g_object_ref (item_at (session, 0));
    GListModel *images = G_LIST_MODEL (ttd_upload_item_get_images (slideshow));

    while (g_list_model_get_n_items (images) > 0)
      {
        g_autoptr(TtdUploadItem) image = g_list_model_get_item (images, 0);

        ttd_draft_session_remove_item (session, image);
      }
    g_assert_cmpuint (n_items (session), ==, 1);
  }

  ttd_test_wait_until (saved, session, 5000);
  observer_clear (&observer, session);
}

static gboolean
has_items (gpointer data)
{
  return n_items (data) > 0;
}

typedef struct
{
  gboolean   done;
  GPtrArray *items;
  GError    *error;
} Intake;

static void
intake_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Intake *intake = user_data;

  intake->items = ttd_draft_session_add_files_finish (TTD_DRAFT_SESSION (object), result,
                                                      &intake->error);
  intake->done = TRUE;
}

static gboolean
intake_done (gpointer data)
{
  return ((Intake *) data)->done;
}

/* Runs a strict intake to its end. Returns: (transfer full): the error, or
 * %NULL with the items in @items. */
static GError *
take_strictly (TtdDraftSession  *session,
               TtdIntakeMode     mode,
               GFile           **files,
               guint             n_files,
               GPtrArray       **items)
{
  Intake intake = { 0 };

  ttd_draft_session_add_files_async (session, files, n_files, mode, NULL, intake_cb, &intake);
  ttd_test_wait_until (intake_done, &intake, 5000);
  g_assert_true (intake.done);
  g_assert_true ((intake.items == NULL) != (intake.error == NULL));
  if (items != NULL)
    *items = intake.items;
  else
    g_clear_pointer (&intake.items, g_ptr_array_unref);

  return intake.error;
}

/* Other programs' files (the D-Bus API): the same checks as a drop, but all
 * or nothing, each problem one sentence, and a slideshow of its own. */
static void
test_strict_intake (void)
{
  g_autofree char *text_path = g_build_filename (tmpdir, "strict-notes.txt", NULL);
  g_autofree char *missing_path = g_build_filename (tmpdir, "strict-missing.mp4", NULL);
  g_autoptr(GFile) text = g_file_new_for_path (text_path);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(GFile) folder = g_file_new_for_path (tmpdir);
  g_autoptr(GFile) video = ttd_test_write_video (tmpdir, "strict.mp4", 48 * 1024);
  g_autoptr(GFile) red = ttd_test_write_png (tmpdir, "strict-1.png", 0xe66100ff, 32, 32);
  g_autoptr(GFile) blue = ttd_test_write_png (tmpdir, "strict-2.png", 0x1c71d8ff, 32, 32);
  g_autoptr(GFile) green = ttd_test_write_png (tmpdir, "strict-3.png", 0x26a269ff, 32, 32);
  g_autoptr(TtdQueue) queue = new_queue ("strict.json");
  g_autoptr(TtdDraftSession) session = ttd_draft_session_new (queue);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(TtdUploadItem) unsent = NULL;
  struct {
    GFile         *files[2];
    TtdIntakeMode  mode;
    int            code;
    const char    *says;
  } refused[] = {
    { { video, missing }, TTD_INTAKE_VIDEOS, TTD_INTAKE_ERROR_NOT_A_FILE, "There is no file" },
    { { video, text }, TTD_INTAKE_VIDEOS, TTD_INTAKE_ERROR_UNSUPPORTED, "strict-notes.txt" },
    { { folder, NULL }, TTD_INTAKE_VIDEOS, TTD_INTAKE_ERROR_NOT_A_FILE, "is a folder" },
    { { video, red }, TTD_INTAKE_VIDEOS, TTD_INTAKE_ERROR_WRONG_KIND, "strict-1.png" },
    { { red, video }, TTD_INTAKE_SLIDESHOW, TTD_INTAKE_ERROR_WRONG_KIND, "strict.mp4" },
    { { red, red }, TTD_INTAKE_SLIDESHOW, TTD_INTAKE_ERROR_ALREADY_QUEUED, "Already in the list" },
  };
  GFile *pictures[2] = { red, blue };

  g_assert_true (g_file_set_contents (text_path, "not media", -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = take_strictly (session, refused[i].mode, refused[i].files,
                                               refused[i].files[1] ? 2 : 1, NULL);

      g_assert_error (error, TTD_INTAKE_ERROR, refused[i].code);
      g_assert_nonnull (strstr (error->message, refused[i].says));
      g_assert_cmpuint (n_items (session), ==, 0);
    }

  /* A slideshow the creator is putting together in the window is left alone. */
  ttd_draft_session_add_files (session, &green, 1);
  ttd_test_wait_until (has_items, session, 5000);
  g_assert_cmpuint (n_items (session), ==, 1);
  unsent = g_object_ref (item_at (session, 0));

  g_assert_no_error (take_strictly (session, TTD_INTAKE_SLIDESHOW, pictures, 2, &items));
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpuint (n_items (session), ==, 2);
  g_assert_true (g_ptr_array_index (items, 0) == item_at (session, 1));
  g_assert_cmpuint (n_images (item_at (session, 1)), ==, 2);
  g_assert_cmpuint (n_images (unsent), ==, 1);
  g_assert_true (ttd_draft_session_find_item (session, ttd_draft_session_get_item_id (item_at (session, 1)))
                 == item_at (session, 1));
  g_clear_pointer (&items, g_ptr_array_unref);

  g_assert_no_error (take_strictly (session, TTD_INTAKE_VIDEOS, &video, 1, &items));
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpint (ttd_upload_item_get_kind (g_ptr_array_index (items, 0)), ==, TTD_UPLOAD_ITEM_VIDEO);

  /* Queued already: refused, not added twice. */
  {
    g_autoptr(GError) error = take_strictly (session, TTD_INTAKE_VIDEOS, &video, 1, NULL);

    g_assert_error (error, TTD_INTAKE_ERROR, TTD_INTAKE_ERROR_ALREADY_QUEUED);
    g_assert_cmpuint (n_items (session), ==, 3);
  }

  /* Nobody signed in: nothing is sent, and that is said. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (ttd_draft_session_send_items (session, (TtdUploadItem **) items->pdata, items->len,
                                                  &error));
    g_assert_error (error, TTD_ERROR, TTD_ERROR_SIGN_IN_REQUIRED);
    g_assert_cmpint (ttd_upload_item_get_state (g_ptr_array_index (items, 0)), ==, TTD_QUEUE_STATE_QUEUED);
  }

  ttd_test_wait_until (saved, session, 5000);
}

static gboolean
restored_two (gpointer data)
{
  return n_items (data) == 2;
}

/* What is queued is written to the queue file in the session's order, and
 * a new session (the next start) brings it back as it was. */
static void
test_persistence (void)
{
  g_autoptr(TtdQueue) queue = new_queue ("persist.json");
  g_autoptr(TtdDraftSession) session = ttd_draft_session_new (queue);
  g_autoptr(TtdDraftSession) again = NULL;
  g_autoptr(GFile) video = ttd_test_write_video (tmpdir, "persist.mp4", 32 * 1024);
  g_autoptr(GFile) red = ttd_test_write_png (tmpdir, "persist-1.png", 0xe66100ff, 32, 32);
  g_autoptr(GFile) blue = ttd_test_write_png (tmpdir, "persist-2.png", 0x1c71d8ff, 32, 32);
  g_autoptr(GPtrArray) listed = NULL;
  g_autofree char *video_id = NULL, *slideshow_id = NULL;
  GFile *files[3] = { video, red, blue };
  TtdQueueItem *on_disk;

  ttd_draft_session_add_files (session, files, G_N_ELEMENTS (files));
  ttd_test_wait_until (restored_two, session, 5000);
  g_assert_cmpuint (n_items (session), ==, 2);
  ttd_upload_item_set_title (item_at (session, 1), "Two colours");
  ttd_upload_item_set_cover_index (item_at (session, 1), 1);
  video_id = g_strdup (_ttd_draft_session_item_id (item_at (session, 0)));
  slideshow_id = g_strdup (_ttd_draft_session_item_id (item_at (session, 1)));

  /* Written shortly after the change, not at once. */
  g_assert_false (saved (session));
  ttd_test_wait_until (saved, session, 5000);
  listed = ttd_queue_list (queue, NULL);
  g_assert_nonnull (listed);
  g_assert_cmpuint (listed->len, ==, 2);
  on_disk = g_ptr_array_index (listed, 0);
  g_assert_cmpstr (on_disk->id, ==, video_id);
  g_assert_cmpint (on_disk->state, ==, TTD_QUEUE_STATE_QUEUED);
  on_disk = g_ptr_array_index (listed, 1);
  g_assert_cmpstr (on_disk->id, ==, slideshow_id);
  g_assert_cmpstr (on_disk->title, ==, "Two colours");
  g_assert_cmpuint (on_disk->cover_index, ==, 1);
  g_assert_cmpuint (g_strv_length (on_disk->paths), ==, 2);
  g_assert_true (g_str_has_suffix (on_disk->paths[0], "persist-1.png"));
  g_assert_true (g_str_has_suffix (on_disk->paths[1], "persist-2.png"));

  /* The next start. */
  again = ttd_draft_session_new (queue);
  ttd_draft_session_restore (again);
  ttd_test_wait_until (restored_two, again, 5000);
  g_assert_cmpuint (n_items (again), ==, 2);
  g_assert_cmpstr (_ttd_draft_session_item_id (item_at (again, 0)), ==, video_id);
  g_assert_cmpstr (_ttd_draft_session_item_id (item_at (again, 1)), ==, slideshow_id);
  g_assert_cmpstr (ttd_upload_item_get_title (item_at (again, 1)), ==, "Two colours");
  g_assert_cmpuint (ttd_upload_item_get_cover_index (item_at (again, 1)), ==, 1);
  g_assert_cmpuint (n_images (item_at (again, 1)), ==, 2);

  /* Removing takes it off the queue; a change written as the session goes
   * is still written. */
  ttd_draft_session_remove_item (again, item_at (again, 0));
  ttd_upload_item_set_title (item_at (again, 0), "Last words");
  g_clear_object (&again);
  ttd_test_spin (700);
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = ttd_queue_list (queue, NULL);
  g_assert_cmpuint (listed->len, ==, 1);
  on_disk = g_ptr_array_index (listed, 0);
  g_assert_cmpstr (on_disk->id, ==, slideshow_id);
  g_assert_cmpstr (on_disk->title, ==, "Last words");
}

static void
state_cb (TtdUploadItem *item,
          GParamSpec    *pspec,
          GPtrArray     *started)
{
  if (ttd_upload_item_get_state (item) == TTD_QUEUE_STATE_SENDING &&
      (started->len == 0 || g_ptr_array_index (started, started->len - 1) != item))
    g_ptr_array_add (started, item);
}

static gboolean
send_finished (gpointer data)
{
  return ((Observer *) data)->n_finished > 0;
}

/* Everything goes, in the session's order, one after another, into the
 * emulator's inbox; delivered items leave the queue file. */
static void
test_send (void)
{
  TtdTestEmulator emulator = { 0 };
  g_autoptr(TtdQueue) queue = new_queue ("send.json");
  g_autoptr(TtdDraftSession) session = ttd_draft_session_new (queue);
  g_autoptr(TtdAccount) account = NULL;
  g_autoptr(GFile) first = ttd_test_write_video (tmpdir, "first.mp4", 1024 * 1024 + 17);
  g_autoptr(GFile) second = ttd_test_write_video (tmpdir, "second.mp4", 300 * 1024);
  g_autoptr(GPtrArray) started = g_ptr_array_new ();
  g_autoptr(GPtrArray) listed = NULL;
  GFile *files[2] = { first, second };
  Observer observer = { 0 };

  if (!ttd_test_emulator_start (&emulator))
    {
      g_test_skip ("TTD_EMULATOR is not set");
      return;
    }
  account = ttd_test_sign_in_to (&emulator);
  observer_init (&observer, session);

  ttd_draft_session_add_files (session, files, G_N_ELEMENTS (files));
  ttd_test_wait_until (restored_two, session, 5000);
  g_assert_cmpuint (n_items (session), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_signal_connect (item_at (session, i), "notify::state", G_CALLBACK (state_cb), started);

  /* Nobody signed in: nothing goes. */
  g_assert_false (ttd_draft_session_send (session));

  ttd_draft_session_set_account (session, account);
  g_assert_true (ttd_draft_session_send (session));
  g_assert_true (ttd_draft_session_get_sending (session));
  g_assert_false (ttd_draft_session_send (session));
  g_assert_cmpint (ttd_upload_item_get_state (item_at (session, 1)), ==, TTD_QUEUE_STATE_WAITING);

  ttd_test_wait_until (send_finished, &observer, 60000);
  g_assert_cmpuint (observer.n_finished, ==, 1);
  g_assert_cmpuint (observer.n_sent, ==, 2);
  g_assert_cmpuint (observer.n_failed, ==, 0);
  g_assert_false (observer.stopped);
  g_assert_false (ttd_draft_session_get_sending (session));

  g_assert_cmpuint (started->len, ==, 2);
  g_assert_true (g_ptr_array_index (started, 0) == item_at (session, 0));
  g_assert_true (g_ptr_array_index (started, 1) == item_at (session, 1));
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpint (ttd_upload_item_get_state (item_at (session, i)), ==, TTD_QUEUE_STATE_DONE);
      g_assert_nonnull (ttd_upload_item_get_publish_id (item_at (session, i)));
    }

  ttd_test_wait_until (saved, session, 5000);
  ttd_test_spin (500);
  ttd_test_wait_until (saved, session, 5000);
  listed = ttd_queue_list (queue, NULL);
  g_assert_nonnull (listed);
  for (guint i = 0; i < listed->len; i++)
    g_assert_false (ttd_queue_item_is_pending (g_ptr_array_index (listed, i)));

  /* Clear takes the sent ones out. */
  ttd_draft_session_clear_sent (session);
  g_assert_cmpuint (n_items (session), ==, 0);

  observer_clear (&observer, session);
  ttd_test_emulator_stop (&emulator);
}

/* POSTs @body to the emulator's admin API at @path. */
static void
emulator_post (TtdTestEmulator *emulator,
               const char      *path,
               const char      *body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (emulator->url, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_POST, url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (message, "application/json", bytes);
  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, SOUP_STATUS_OK);
}

/* One of the emulator's counters, such as "video_inits". */
static gint64
emulator_count (TtdTestEmulator *emulator,
                const char      *name)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (emulator->url, "/_emulator/state", NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GBytes) answer = soup_session_send_and_read (session, message, NULL, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *counts;

  g_assert_nonnull (answer);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                             (gssize) g_bytes_get_size (answer), NULL));
  counts = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "counts");
  return json_object_get_int_member (counts, name);
}

static gboolean
has_one_item (gpointer data)
{
  return n_items (data) == 1;
}

static gboolean
finished_twice (gpointer data)
{
  return ((Observer *) data)->n_finished >= 2;
}

static gboolean
is_done (gpointer data)
{
  return ttd_upload_item_get_state (data) == TTD_QUEUE_STATE_DONE;
}

/* TikTok's pending-draft cap holds the video back: it is not failed, it
 * says when its next try is, and the session's timer sends it then without
 * anybody pressing anything. A video another process delivered meanwhile
 * shows as delivered instead of going twice. */
static void
test_waiting (void)
{
  TtdTestEmulator emulator = { 0 };
  g_autoptr(TtdQueue) queue = new_queue ("waiting.json");
  g_autoptr(TtdQueue) elsewhere = new_queue ("waiting.json");
  g_autoptr(TtdDraftSession) session = ttd_draft_session_new (queue);
  g_autoptr(TtdAccount) account = NULL;
  g_autoptr(GFile) held = ttd_test_write_video (tmpdir, "held.mp4", 512 * 1024 + 3);
  g_autoptr(GFile) theirs = ttd_test_write_video (tmpdir, "theirs.mp4", 256 * 1024 + 5);
  GFile *files[2] = { held, theirs };
  Observer observer = { 0 };
  TtdUploadItem *item;
  const char *status;

  if (!ttd_test_emulator_start (&emulator))
    {
      g_test_skip ("TTD_EMULATOR is not set");
      return;
    }
  account = ttd_test_sign_in_to (&emulator);
  observer_init (&observer, session);
  ttd_draft_session_add_files (session, files, 1);
  ttd_test_wait_until (has_one_item, session, 5000);
  item = item_at (session, 0);
  ttd_draft_session_set_account (session, account);

  emulator_post (&emulator, "/_emulator/fault", "{\"fault\": \"pending-cap\"}");
  g_assert_true (ttd_draft_session_send (session));
  ttd_test_wait_until (send_finished, &observer, 30000);
  g_assert_cmpuint (observer.n_sent, ==, 0);
  g_assert_cmpuint (observer.n_failed, ==, 0);
  g_assert_cmpint (ttd_upload_item_get_state (item), ==, TTD_QUEUE_STATE_QUEUED);
  g_assert_cmpint (ttd_upload_item_get_next_try_at (item), >, 0);
  status = ttd_upload_item_get_status (item);
  g_assert_nonnull (status);
  g_assert_true (g_str_has_prefix (status, "Waiting for TikTok — next try at "));
  g_assert_nonnull (strstr (status, "TikTok app"));
  g_assert_null (ttd_upload_item_get_error (item));

  /* Nobody presses anything: at the next try it goes. */
  ttd_test_wait_until (finished_twice, &observer, 30000);
  ttd_test_wait_until (is_done, item, 30000);
  g_assert_cmpint (ttd_upload_item_get_state (item), ==, TTD_QUEUE_STATE_DONE);
  g_assert_cmpuint (observer.n_sent, ==, 1);
  g_assert_cmpint (emulator_count (&emulator, "video_inits"), ==, 2);

  /* Delivered by another process while this session still had it queued. */
  ttd_draft_session_add_files (session, files + 1, 1);
  ttd_test_wait_until (restored_two, session, 5000);
  item = item_at (session, 1);
  ttd_test_spin (500);
  ttd_test_wait_until (saved, session, 5000);
  g_assert_true (ttd_queue_mark_delivered (elsewhere, _ttd_draft_session_item_id (item), NULL));
  g_assert_true (ttd_draft_session_send (session));
  ttd_test_wait_until (is_done, item, 30000);
  g_assert_cmpuint (observer.n_failed, ==, 0);
  g_assert_cmpint (emulator_count (&emulator, "video_inits"), ==, 2);

  observer_clear (&observer, session);
  ttd_test_emulator_stop (&emulator);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* TikTok's waits in seconds instead of minutes. */
  g_setenv ("TIKTOK_DRAFTS_RETRY_SECONDS", "1", TRUE);
  g_test_init (&argc, &argv, NULL);

  tmpdir = g_dir_make_tmp ("ttd-session-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/ttd/session/folder-intake", test_folder_intake);
  g_test_add_func ("/ttd/session/strict-intake", test_strict_intake);
  g_test_add_func ("/ttd/session/persistence", test_persistence);
  g_test_add_func ("/ttd/session/send", test_send);
  g_test_add_func ("/ttd/session/waiting", test_waiting);

  status = g_test_run ();

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);

    (void) !system (cmd);
  }

  return status;
}
