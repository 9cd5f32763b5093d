/* test-window.c — the GTK app's windows under Xvfb (suite "ui")
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Instantiates every template on this GTK/libadwaita (class names in .ui
 * files escape the compile-time version pins), simulates a drop, checks
 * when "Send to Drafts" may be used, and writes a PNG of each state to
 * $G_TEST_BUILDDIR for people to look at.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "ttd-image-tile.h"
#include "ttd-media-row.h"
#include "ttd-preferences-window.h"
#include "ttd-slideshow-row.h"
#include "ttd-draft-session-private.h"
#include "ttd-upload-item.h"
#include "ttd-window-private.h"
#include "ttd-ui-test.h"

#define SHOT_WIDTH  1280
#define SHOT_HEIGHT 800

static char *tmpdir;

static TtdAccount *
make_account (gboolean signed_in)
{
  g_autoptr(TtdConfig) config = ttd_config_new ();
  g_autoptr(TtdTokenStore) store = ttd_memory_token_store_new ();
  g_autoptr(TtdAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  ttd_config_set (&config->client_key, "test-client-key");
  ttd_config_set (&config->client_secret, "test-client-secret");
  /* Nothing listens here: user info fails fast and the test's own name stays. */
  ttd_config_set (&config->api_base, "http://127.0.0.1:9");
  ttd_config_set (&config->auth_url, "http://127.0.0.1:9/v2/auth/authorize/");

  if (signed_in)
    {
      TtdTokens tokens = {
        .open_id = (char *) "test-open-id",
        .access_token = (char *) "act.test",
        .refresh_token = (char *) "rft.test",
        .scope = (char *) "user.info.basic,video.upload",
        .access_expires_at = g_get_real_time () / G_USEC_PER_SEC + 86400,
        .refresh_expires_at = g_get_real_time () / G_USEC_PER_SEC + 86400 * 365,
      };

      g_assert_true (ttd_token_store_save (store, &tokens, NULL, &error));
      g_assert_no_error (error);
    }

  account = ttd_account_new (config, store);
  g_assert_true (ttd_account_load (account, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ttd_account_is_signed_in (account), ==, signed_in);

  return g_steal_pointer (&account);
}

static TtdWindow *
make_window (void)
{
  TtdWindow *window = ttd_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), SHOT_WIDTH, SHOT_HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  ttd_test_spin (100);

  return window;
}

static gboolean
queue_saved (gpointer data)
{
  TtdWindow *window = data;

  return window->session->queue_save_id == 0 && !window->session->queue_saving;
}

/* Destroys @window once its debounced queue save has run: a save still
 * pending is written from a thread after the window goes, and would put
 * this test's items in the next test's queue. */
static void
destroy_when_saved (TtdWindow *window)
{
  ttd_test_wait_until (queue_saved, window, 5000);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
is_signed_out (gpointer data)
{
  TtdWindow *window = data;

  return window->account_state == TTD_ACCOUNT_STATE_SIGNED_OUT;
}

static gboolean
send_enabled (TtdWindow *window)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (window->send_button));
}

static guint
n_items (TtdWindow *window)
{
  return g_list_model_get_n_items (G_LIST_MODEL (window->items));
}

static gboolean
has_two_items (gpointer data)
{
  TtdWindow *window = data;
  TtdUploadItem *slideshow = ttd_draft_session_find_slideshow (window->session);

  return n_items (window) == 2 && slideshow != NULL &&
         g_list_model_get_n_items (G_LIST_MODEL (ttd_upload_item_get_images (slideshow))) == 2;
}

static gboolean
thumbnails_loaded (gpointer data)
{
  TtdUploadItem *slideshow = ttd_draft_session_find_slideshow (TTD_WINDOW (data)->session);
  GListModel *images;

  if (slideshow == NULL)
    return FALSE;

  images = G_LIST_MODEL (ttd_upload_item_get_images (slideshow));
  for (guint i = 0; i < g_list_model_get_n_items (images); i++)
    {
      g_autoptr(TtdUploadItem) image = g_list_model_get_item (images, i);

      if (ttd_upload_item_get_thumbnail (image) == NULL)
        return FALSE;
    }

  return TRUE;
}

static gboolean
drop_files (TtdWindow *window,
            GFile    **files,
            guint      n_files)
{
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean handled = FALSE;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_array (files, n_files));
  g_signal_emit_by_name (window->drop_target, "drop", &value, 100.0, 100.0, &handled);

  return handled;
}

/* Whether a visible label below @widget contains @text. */
static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (!gtk_widget_get_visible (widget))
    return FALSE;

  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;

  return FALSE;
}

static TtdUploadItem *
find_video (TtdWindow *window)
{
  for (guint i = 0; i < n_items (window); i++)
    {
      g_autoptr(TtdUploadItem) item = g_list_model_get_item (G_LIST_MODEL (window->items), i);

      if (ttd_upload_item_get_kind (item) == TTD_UPLOAD_ITEM_VIDEO)
        return item;
    }

  return NULL;
}

static void
test_templates (void)
{
  g_autoptr(GFile) video_file = ttd_test_write_video (tmpdir, "template.mp4", 4096);
  g_autoptr(GFile) image_file = ttd_test_write_png (tmpdir, "template.png", 0x3584e4ff, 32, 32);
  g_autoptr(TtdUploadItem) video = ttd_upload_item_new_video (video_file, 4096);
  g_autoptr(TtdUploadItem) slideshow = ttd_upload_item_new_slideshow ();
  g_autoptr(TtdUploadItem) image = ttd_upload_item_new_image (image_file, 100);
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  GtkWidget *widget;
  GObject *overlay;

  widget = GTK_WIDGET (ttd_window_new (NULL));
  g_assert_true (TTD_IS_WINDOW (widget));
  /* The shortcuts window is built on first use, and goes with its window. */
  g_assert_true (gtk_widget_activate_action (widget, "win.show-help-overlay", NULL));
  overlay = NULL;
  {
    g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

    for (GList *l = toplevels; l != NULL; l = l->next)
      if (GTK_IS_SHORTCUTS_WINDOW (l->data) &&
          gtk_window_get_transient_for (l->data) == GTK_WINDOW (widget))
        overlay = l->data;
  }
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_object_add_weak_pointer (overlay, (gpointer *) &overlay);
  gtk_window_destroy (GTK_WINDOW (widget));
  ttd_test_spin (50);
  g_assert_null (overlay);

  widget = g_object_ref_sink (ttd_media_row_new (video));
  g_assert_true (TTD_IS_MEDIA_ROW (widget));
  g_object_unref (widget);

  g_list_store_append (ttd_upload_item_get_images (slideshow), image);
  widget = g_object_ref_sink (ttd_slideshow_row_new (slideshow));
  g_assert_true (TTD_IS_SLIDESHOW_ROW (widget));
  g_object_unref (widget);

  widget = g_object_ref_sink (ttd_image_tile_new (image));
  g_assert_true (TTD_IS_IMAGE_TILE (widget));
  g_object_unref (widget);

  widget = ttd_preferences_window_new (settings);
  g_assert_true (TTD_IS_PREFERENCES_WINDOW (widget));
  gtk_window_present (GTK_WINDOW (widget));
  ttd_test_spin (200);
  ttd_test_save_screenshot (widget, "preferences");
  gtk_window_destroy (GTK_WINDOW (widget));
}

/* An item's state is the queue's (one enum, a GType), and a state only a
 * sending process has is written to the file as "queued". */
static void
test_item_state (void)
{
  g_autoptr(GFile) file = ttd_test_write_video (tmpdir, "state.mp4", 4096);
  g_autoptr(TtdUploadItem) item = ttd_upload_item_new_video (file, 4096);
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (item), "state");
  TtdQueueState state = TTD_QUEUE_STATE_DONE;
  TtdUploadItemKind kind = TTD_UPLOAD_ITEM_IMAGE;

  g_assert_true (G_IS_PARAM_SPEC_ENUM (pspec));
  g_assert_true (pspec->value_type == TTD_TYPE_QUEUE_STATE);
  g_assert_nonnull (g_enum_get_value (g_type_class_peek (TTD_TYPE_QUEUE_STATE), TTD_QUEUE_STATE_WAITING));

  ttd_upload_item_set_state (item, TTD_QUEUE_STATE_WAITING);
  g_object_get (item, "state", &state, "kind", &kind, NULL);
  g_assert_cmpint (state, ==, TTD_QUEUE_STATE_WAITING);
  g_assert_cmpint (kind, ==, TTD_UPLOAD_ITEM_VIDEO);
  g_assert_true (ttd_upload_item_is_busy (item));
  g_assert_cmpstr (ttd_queue_state_to_string (TTD_QUEUE_STATE_WAITING), ==, "queued");
}

/* The first widget of @type inside @widget (or @widget itself). */
static gpointer
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gpointer found = find_widget (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkFlowBox *
find_flow_box (GtkWidget *widget)
{
  return find_widget (widget, GTK_TYPE_FLOW_BOX);
}

/* How many tiles there are; each must show the picture at its position. */
static guint
check_tiles (GtkFlowBox *box,
             GListModel *images)
{
  guint n = 0;

  for (GtkFlowBoxChild *child; (child = gtk_flow_box_get_child_at_index (box, n)) != NULL; n++)
    {
      g_autoptr(TtdUploadItem) image = g_list_model_get_item (images, n);

      g_assert_nonnull (image);
      g_assert_true (ttd_image_tile_get_item (TTD_IMAGE_TILE (gtk_flow_box_child_get_child (child))) == image);
    }

  return n;
}

static gboolean
all_tiles_shown (gpointer data)
{
  GtkFlowBox *box = g_object_get_data (data, "box");

  return check_tiles (box, data) == g_list_model_get_n_items (data);
}

/* Tiles for many pictures are built a few per main-loop iteration, and
 * follow every change to the pictures meanwhile. */
static void
test_slideshow_tiles (void)
{
  g_autoptr(GFile) file = ttd_test_write_png (tmpdir, "tile.png", 0x2ec27eff, 32, 32);
  g_autoptr(TtdUploadItem) slideshow = ttd_upload_item_new_slideshow ();
  GListModel *images = G_LIST_MODEL (ttd_upload_item_get_images (slideshow));
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(TtdUploadItem) moved = NULL;
  GtkWidget *row;
  GtkWidget *list;
  GtkWidget *window;
  GtkFlowBox *box;
  guint shown;

  window = gtk_window_new ();
  list = gtk_list_box_new ();
  row = ttd_slideshow_row_new (slideshow);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_present (GTK_WINDOW (window));
  box = find_flow_box (row);
  g_assert_nonnull (box);
  g_object_set_data (G_OBJECT (images), "box", box);

  for (guint i = 0; i < 30; i++)
    g_ptr_array_add (batch, ttd_upload_item_new_image (file, 100 + i));
  g_list_store_splice (G_LIST_STORE (images), 0, 0, batch->pdata, batch->len);

  /* Some at once, not all. */
  shown = check_tiles (box, images);
  g_assert_cmpuint (shown, >, 0);
  g_assert_cmpuint (shown, <, 30);

  /* Changes among the tiles already there, and past them, while catching up. */
  g_list_store_remove (G_LIST_STORE (images), 1);
  g_list_store_remove (G_LIST_STORE (images), 20);
  moved = g_list_model_get_item (images, 0);
  g_list_store_remove (G_LIST_STORE (images), 0);
  g_list_store_insert (G_LIST_STORE (images), 3, moved);
  check_tiles (box, images);

  ttd_test_wait_until (all_tiles_shown, images, 5000);
  g_assert_cmpuint (check_tiles (box, images), ==, 28);

  /* Once caught up, a change shows at once. */
  g_list_store_remove (G_LIST_STORE (images), 27);
  g_list_store_insert (G_LIST_STORE (images), 0, moved);
  g_assert_cmpuint (check_tiles (box, images), ==, 28);

  /* Going away while catching up. */
  g_list_store_splice (G_LIST_STORE (images), 28, 0, batch->pdata, 2);
  g_list_store_remove_all (G_LIST_STORE (images));
  g_list_store_splice (G_LIST_STORE (images), 0, 0, batch->pdata, batch->len);
  g_assert_cmpuint (check_tiles (box, images), <, 30);

  /* A title and description set on the item (by another program, over
   * D-Bus) show in the fields, and what is typed there goes to the item. */
  {
    GtkEditable *title = find_widget (row, GTK_TYPE_ENTRY);
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (find_widget (row, GTK_TYPE_TEXT_VIEW));
    GtkTextIter start, end;
    g_autofree char *description = NULL;

    ttd_upload_item_set_title (slideshow, "Sent over D-Bus");
    ttd_upload_item_set_description (slideshow, "With a #description");
    g_assert_cmpstr (gtk_editable_get_text (title), ==, "Sent over D-Bus");
    gtk_text_buffer_get_bounds (buffer, &start, &end);
    description = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (description, ==, "With a #description");
    g_assert_cmpstr (ttd_upload_item_get_title (slideshow), ==, "Sent over D-Bus");
    g_assert_cmpstr (ttd_upload_item_get_description (slideshow), ==, "With a #description");

    gtk_editable_set_text (title, "Typed");
    g_assert_cmpstr (ttd_upload_item_get_title (slideshow), ==, "Typed");
  }

  gtk_window_destroy (GTK_WINDOW (window));
  ttd_test_spin (50);
}

/* A visible window of @type (a class or an interface) transient for @parent. */
static GtkWindow *
find_transient (gpointer parent,
                GType    type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) each = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (each, type) && gtk_window_get_transient_for (each) == parent &&
          gtk_widget_get_visible (GTK_WIDGET (each)))
        return each;
    }

  return NULL;
}

static AdwMessageDialog *
find_dialog_for (GtkWindow *parent)
{
  return (AdwMessageDialog *) find_transient (parent, ADW_TYPE_MESSAGE_DIALOG);
}

static gboolean
has_dialog (gpointer data)
{
  return find_dialog_for (data) != NULL;
}

/* Closing the window while sending asks first; keeping on sends on,
 * stopping cancels the sending and closes. */
static void
test_close_while_sending (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TtdWindow *window = make_window ();
  AdwMessageDialog *dialog;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);

  /* Not sending: closes at once (checked last, on a second window). */
  window->session->sending = TRUE;
  window->session->send_cancellable = g_object_ref (cancellable);

  gtk_window_close (GTK_WINDOW (window));
  ttd_test_wait_until (has_dialog, window, 5000);
  dialog = find_dialog_for (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Stop Sending?");
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  ttd_test_save_screenshot (GTK_WIDGET (dialog), "stop-sending");

  adw_message_dialog_response (dialog, "cancel");
  ttd_test_spin (300);
  g_assert_nonnull (window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_false (g_cancellable_is_cancelled (cancellable));

  gtk_window_close (GTK_WINDOW (window));
  ttd_test_wait_until (has_dialog, window, 5000);
  dialog = find_dialog_for (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "stop");
  ttd_test_spin (300);
  g_assert_true (g_cancellable_is_cancelled (cancellable));
  g_assert_null (window);

  window = make_window ();
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  ttd_test_spin (300);
  g_assert_null (window);
}

static GtkFileChooser *
find_file_chooser (gpointer parent)
{
  return (GtkFileChooser *) find_transient (parent, GTK_TYPE_FILE_CHOOSER);
}

static gboolean
has_file_chooser (gpointer data)
{
  return find_file_chooser (data) != NULL;
}

static gboolean
chooser_has_file (gpointer data)
{
  g_autoptr(GListModel) files = gtk_file_chooser_get_files (data);
  g_autoptr(GFile) first = g_list_model_get_n_items (files) == 1 ? g_list_model_get_item (files, 0) : NULL;

  return first != NULL && g_file_equal (first, g_object_get_data (data, "want"));
}

static gboolean
choose_file (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 *last = g_object_get_data (data, "chosen-at");

  if (chooser_has_file (data))
    return TRUE;

  /* Again once a second, not sooner: each choice starts a folder load. */
  if (last == NULL || now - *last > G_USEC_PER_SEC)
    {
      g_assert_true (gtk_file_chooser_set_file (data, g_object_get_data (data, "want"), NULL));
      g_object_set_data_full (data, "chosen-at", g_memdup2 (&now, sizeof now), g_free);
    }

  return FALSE;
}

static gboolean
one_browsed (gpointer data)
{
  return n_items (data) == 1;
}

static guint slideshow_images (TtdWindow *window);

static gboolean
two_browsed (gpointer data)
{
  return n_items (data) == 2 && slideshow_images (data) == 1;
}

/* Add (Ctrl+O) opens a file chooser for videos and pictures, several at a
 * time; what is chosen joins the list, and Cancel changes nothing. */
static void
test_browse (void)
{
  g_autofree char *folder_path = g_build_filename (tmpdir, "browse", NULL);
  g_autoptr(GFile) video = NULL;
  g_autoptr(GFile) photo = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autoptr(GListModel) filters = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdQueue) queue = ttd_queue_new (NULL);
  GtkFileChooser *chooser;
  TtdWindow *window;

  /* Start from an empty queue (earlier tests leave theirs). */
  g_unlink (ttd_queue_get_path (queue));
  g_assert_cmpint (g_mkdir_with_parents (folder_path, 0755), ==, 0);
  video = ttd_test_write_video (tmpdir, "browse/clip.mp4", 2 * 1024 * 1024);
  photo = ttd_test_write_png (tmpdir, "browse/pier.png", 0x613583ff, 640, 480);
  window = make_window ();

  /* Cancel: nothing is added. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.browse", NULL));
  ttd_test_wait_until (has_file_chooser, window, 5000);
  chooser = find_file_chooser (window);
  g_assert_nonnull (chooser);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (chooser)), ==, "Add Videos and Pictures");
  g_assert_true (gtk_file_chooser_get_select_multiple (chooser));
  g_assert_cmpint (gtk_file_chooser_get_action (chooser), ==, GTK_FILE_CHOOSER_ACTION_OPEN);
  filters = gtk_file_chooser_get_filters (chooser);
  g_assert_cmpuint (g_list_model_get_n_items (filters), ==, 3);
  g_assert_cmpstr (gtk_file_filter_get_name (gtk_file_chooser_get_filter (chooser)), ==,
                   "Videos and Pictures");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  ttd_test_spin (300);
  g_assert_null (find_file_chooser (window));
  g_assert_cmpuint (n_items (window), ==, 0);

  /* A video, then a picture (GTK 4 selects one file at a time from code). */
  for (guint i = 0; i < 2; i++)
    {
      GFile *file = i == 0 ? video : photo;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.browse", NULL));
      ttd_test_wait_until (has_file_chooser, window, 5000);
      chooser = find_file_chooser (window);
      g_assert_nonnull (chooser);
      g_assert_true (gtk_file_chooser_set_current_folder (chooser, folder, &error));
      g_assert_no_error (error);
      /* The folder loads asynchronously, and a load that finishes after
       * the file was chosen unselects it: choose until it stays chosen. */
      g_object_set_data (G_OBJECT (chooser), "want", file);
      ttd_test_wait_until (choose_file, chooser, 15000);
      g_assert_true (chooser_has_file (chooser));
      if (i == 1)
        ttd_test_save_screenshot (GTK_WIDGET (chooser), "browse");
      gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
      ttd_test_wait_until (i == 0 ? one_browsed : two_browsed, window, 5000);
      g_assert_true (i == 0 ? one_browsed (window) : two_browsed (window));
      g_assert_null (find_file_chooser (window));
    }

  destroy_when_saved (window);
}

static void
test_flow (void)
{
  g_autoptr(GFile) video = ttd_test_write_video (tmpdir, "Beach day.mp4", 3 * 1024 * 1024 + 12345);
  g_autoptr(GFile) red = ttd_test_write_png (tmpdir, "sunset-01.png", 0xe66100ff, 640, 480);
  g_autoptr(GFile) blue = ttd_test_write_png (tmpdir, "sunset-02.png", 0x1c71d8ff, 480, 640);
  g_autoptr(GFile) text = NULL;
  g_autoptr(TtdAccount) signed_out = make_account (FALSE);
  g_autoptr(TtdAccount) signed_in = make_account (TRUE);
  GFile *files[3];
  TtdUserInfo info = { (char *) "test-open-id", NULL, (char *) "Demo Creator", NULL };
  TtdWindow *window;
  TtdUploadItem *video_item;
  TtdUploadItem *slideshow;
  g_autofree char *text_path = g_build_filename (tmpdir, "notes.txt", NULL);

  g_assert_true (g_file_set_contents (text_path, "not media", -1, NULL));
  text = g_file_new_for_path (text_path);

  window = make_window ();

  /* Signed out, nothing queued. */
  ttd_window_set_account (window, signed_out);
  ttd_test_wait_until (is_signed_out, window, 5000);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "signed-out");
  g_assert_false (send_enabled (window));
  ttd_test_save_screenshot (GTK_WIDGET (window), "signed-out");

  /* A drop while signed out is kept, but cannot be sent. */
  files[0] = video;
  files[1] = red;
  files[2] = blue;
  g_assert_true (drop_files (window, files, 3));
  ttd_test_wait_until (has_two_items, window, 5000);
  g_assert_true (has_two_items (window));
  g_assert_false (send_enabled (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->waiting_label)));

  /* Signed in with content: Send is on. */
  ttd_window_set_account (window, signed_in);
  _ttd_window_set_user_info (window, &info, NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "queue");
  g_assert_true (send_enabled (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->account_button)));
  g_assert_cmpstr (gtk_label_get_label (window->account_name), ==, "Demo Creator");

  /* The photos need a photo host, which this account does not have. */
  g_assert_nonnull (_ttd_window_photo_host_problem (window));
  g_assert_true (gtk_widget_get_visible (window->photo_host_notice));

  ttd_test_wait_until (thumbnails_loaded, window, 5000);
  g_assert_true (thumbnails_loaded (window));
  slideshow = ttd_draft_session_find_slideshow (window->session);
  ttd_upload_item_set_title (slideshow, "Sunset at the beach");
  ttd_test_save_screenshot (GTK_WIDGET (window), "review");

  /* Sending. */
  video_item = find_video (window);
  g_assert_nonnull (video_item);
  window->session->sending = TRUE;
  ttd_upload_item_set_state (video_item, TTD_QUEUE_STATE_SENDING);
  ttd_upload_item_set_fraction (video_item, 0.42);
  ttd_upload_item_set_status (video_item, "1.3 MB of 3.2 MB sent");
  ttd_upload_item_set_state (slideshow, TTD_QUEUE_STATE_WAITING);
  _ttd_window_update (window);
  g_assert_false (send_enabled (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->send_stack), ==, "stop");
  ttd_test_save_screenshot (GTK_WIDGET (window), "sending");

  /* Done. */
  ttd_upload_item_set_state (video_item, TTD_QUEUE_STATE_DONE);
  ttd_upload_item_set_fraction (video_item, 1.0);
  ttd_upload_item_set_status (video_item, "In your TikTok inbox — open TikTok to finish the post");
  ttd_upload_item_set_state (slideshow, TTD_QUEUE_STATE_DONE);
  ttd_upload_item_set_status (slideshow, "In your TikTok inbox — open TikTok to finish the post");
  window->session->sending = FALSE;
  _ttd_window_update (window);
  g_assert_false (send_enabled (window));
  ttd_test_save_screenshot (GTK_WIDGET (window), "done");

  /* Held back by TikTok's cap: queued, saying when it goes next and what to
   * do meanwhile; Send to Drafts tries it at once. */
  _ttd_draft_session_show_waiting (video_item, TTD_WAIT_PENDING_CAP, g_get_real_time () / G_USEC_PER_SEC + 240);
  _ttd_window_update (window);
  g_assert_true (send_enabled (window));
  g_assert_true (shows_label (GTK_WIDGET (window), "Waiting for TikTok — next try at "));
  g_assert_true (shows_label (GTK_WIDGET (window), "drafts waiting in the TikTok app"));
  ttd_test_save_screenshot (GTK_WIDGET (window), "waiting");

  /* An error on one item: Retry appears and Send is on again for it. */
  ttd_upload_item_fail (video_item,
                        "TikTok refused the upload because the video is longer than your account "
                        "allows. Trim it and try again. (TikTok log ID: 202601011200000A1B2C3D4E)");
  _ttd_window_update (window);
  g_assert_true (send_enabled (window));
  ttd_test_save_screenshot (GTK_WIDGET (window), "error");

  /* A text file is refused with a toast; nothing else changes. */
  files[0] = text;
  g_assert_true (drop_files (window, files, 1));
  ttd_test_spin (300);
  g_assert_cmpuint (n_items (window), ==, 2);
  g_assert_true (has_two_items (window));

  /* Signing out turns Send off again. */
  ttd_window_set_account (window, signed_out);
  ttd_test_wait_until (is_signed_out, window, 5000);
  g_assert_true (is_signed_out (window));
  g_assert_false (send_enabled (window));

  destroy_when_saved (window);
}

static void
test_empty_and_sign_in (void)
{
  g_autoptr(TtdAccount) signed_in = make_account (TRUE);
  g_autoptr(TtdAccount) signed_out = make_account (FALSE);
  TtdUserInfo info = { (char *) "test-open-id", NULL, (char *) "Demo Creator", NULL };
  TtdWindow *window = make_window ();
  const char *uri;

  ttd_window_set_account (window, signed_in);
  _ttd_window_set_user_info (window, &info, NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "empty");
  g_assert_false (send_enabled (window));
  ttd_test_save_screenshot (GTK_WIDGET (window), "empty");

  /* Sign-in shows the authorize link, and Cancel goes back. */
  ttd_window_set_account (window, signed_out);
  ttd_test_wait_until (is_signed_out, window, 5000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "signing-in");
  uri = gtk_label_get_label (window->sign_in_uri_label);
  g_assert_true (g_str_has_prefix (uri, "http://127.0.0.1:9/v2/auth/authorize/"));
  g_assert_nonnull (strstr (uri, "client_key=test-client-key"));
  ttd_test_spin (200);
  ttd_test_save_screenshot (GTK_WIDGET (window), "signing-in");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-sign-in", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "signed-out");

  destroy_when_saved (window);
}

static gboolean
has_n_items (gpointer data)
{
  TtdWindow *window = data;
  guint expected = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (window), "test-expected"));

  return n_items (window) == expected;
}

/* What the queue on disk says about @id, once the window's debounced save ran.
 * @window: (nullable): NULL once it is destroyed */
static TtdQueueItem *
lookup_after_save (TtdWindow  *window,
                   TtdQueue   *queue,
                   const char *id)
{
  ttd_test_spin (700);
  if (window != NULL)
    g_assert_false (window->session->queue_saving);

  return ttd_queue_lookup (queue, id, NULL);
}

static void
test_queue (void)
{
  g_autoptr(TtdQueue) queue = ttd_queue_new (NULL);
  g_autoptr(GFile) red = ttd_test_write_png (tmpdir, "queued-01.png", 0xe66100ff, 64, 48);
  g_autoptr(GFile) blue = ttd_test_write_png (tmpdir, "queued-02.png", 0x1c71d8ff, 48, 64);
  g_autofree char *gone = g_build_filename (tmpdir, "gone.mp4", NULL);
  g_autoptr(TtdQueueItem) slideshow = ttd_queue_item_new (TTD_QUEUE_KIND_SLIDESHOW);
  g_autoptr(TtdQueueItem) video = ttd_queue_item_new (TTD_QUEUE_KIND_VIDEO);
  g_autoptr(TtdQueueItem) from_cli = ttd_queue_item_new (TTD_QUEUE_KIND_VIDEO);
  g_autoptr(TtdQueueItem) saved = NULL;
  g_autoptr(TtdUploadItem) restored_slideshow = NULL;
  g_autoptr(TtdUploadItem) restored_video = NULL;
  TtdWindow *window;

  /* The earlier tests' windows write their last changes as they go. */
  ttd_test_spin (700);
  g_unlink (ttd_queue_get_path (queue));

  /* Interrupted while TikTok was processing it. */
  slideshow->paths = g_new0 (char *, 3);
  slideshow->paths[0] = g_file_get_path (red);
  slideshow->paths[1] = g_file_get_path (blue);
  slideshow->title = g_strdup ("Restored title");
  slideshow->description = g_strdup ("#queue");
  slideshow->cover_index = 1;
  slideshow->state = TTD_QUEUE_STATE_PROCESSING;
  slideshow->publish_id = g_strdup ("p_inbox~v2.restored");
  g_assert_true (ttd_queue_put (queue, slideshow, NULL));

  /* Its file is gone. */
  video->paths = g_new0 (char *, 2);
  video->paths[0] = g_strdup (gone);
  video->state = TTD_QUEUE_STATE_FAILED;
  video->error = g_strdup ("An earlier error.");
  g_assert_true (ttd_queue_put (queue, video, NULL));

  window = make_window ();
  g_object_set_data (G_OBJECT (window), "test-expected", GUINT_TO_POINTER (2));
  ttd_test_wait_until (has_n_items, window, 5000);
  g_assert_cmpuint (n_items (window), ==, 2);

  restored_slideshow = g_list_model_get_item (G_LIST_MODEL (window->items), 0);
  g_assert_cmpint (ttd_upload_item_get_kind (restored_slideshow), ==, TTD_UPLOAD_ITEM_SLIDESHOW);
  g_assert_cmpstr (_ttd_draft_session_item_id (restored_slideshow), ==, slideshow->id);
  g_assert_cmpstr (ttd_upload_item_get_title (restored_slideshow), ==, "Restored title");
  g_assert_cmpstr (ttd_upload_item_get_description (restored_slideshow), ==, "#queue");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ttd_upload_item_get_images (restored_slideshow))), ==, 2);
  g_assert_cmpuint (ttd_upload_item_get_cover_index (restored_slideshow), ==, 1);
  g_assert_cmpint (ttd_upload_item_get_state (restored_slideshow), ==, TTD_QUEUE_STATE_QUEUED);
  /* Interrupted: continues once signed in (this window never is). */
  g_assert_true (window->session->resume_pending);

  restored_video = g_list_model_get_item (G_LIST_MODEL (window->items), 1);
  g_assert_cmpstr (_ttd_draft_session_item_id (restored_video), ==, video->id);
  g_assert_cmpint (ttd_upload_item_get_state (restored_video), ==, TTD_QUEUE_STATE_FAILED);
  g_assert_nonnull (strstr (ttd_upload_item_get_error (restored_video), "gone.mp4"));

  /* Something the CLI queues meanwhile is not the window's to touch. */
  from_cli->paths = g_new0 (char *, 2);
  from_cli->paths[0] = g_build_filename (tmpdir, "from-cli.mp4", NULL);
  g_assert_true (ttd_queue_put (queue, from_cli, NULL));

  /* Edits are written; what was sent before is kept. */
  ttd_upload_item_set_title (restored_slideshow, "Edited title");
  saved = lookup_after_save (window, queue, slideshow->id);
  g_assert_nonnull (saved);
  g_assert_cmpstr (saved->title, ==, "Edited title");
  g_assert_cmpstr (saved->publish_id, ==, "p_inbox~v2.restored");
  g_assert_cmpint (saved->state, ==, TTD_QUEUE_STATE_PROCESSING);
  g_clear_pointer (&saved, ttd_queue_item_free);

  /* Removing takes it off the queue. */
  ttd_draft_session_remove_item (window->session, restored_video);
  g_assert_cmpuint (n_items (window), ==, 1);
  saved = lookup_after_save (window, queue, video->id);
  g_assert_null (saved);

  saved = ttd_queue_lookup (queue, from_cli->id, NULL);
  g_assert_nonnull (saved);
  g_clear_pointer (&saved, ttd_queue_item_free);

  /* Closing right after a change still writes it. */
  ttd_upload_item_set_description (restored_slideshow, "#closing");
  destroy_when_saved (window);
  saved = lookup_after_save (NULL, queue, slideshow->id);
  g_assert_nonnull (saved);
  g_assert_cmpstr (saved->description, ==, "#closing");

  g_unlink (ttd_queue_get_path (queue));
}

static guint
slideshow_images (TtdWindow *window)
{
  TtdUploadItem *slideshow = ttd_draft_session_find_slideshow (window->session);

  return slideshow ? g_list_model_get_n_items (G_LIST_MODEL (ttd_upload_item_get_images (slideshow))) : 0;
}

static gboolean
folder_added (gpointer data)
{
  return n_items (data) == 2 && slideshow_images (data) == 2;
}

static gboolean
paste_added (gpointer data)
{
  return slideshow_images (data) == 3;
}

/* A dropped folder expands to the media inside it (junk is refused), and
 * files pasted with Ctrl+V go down the same path as a drop. */
static void
test_folder_and_paste (void)
{
  g_autofree char *folder_path = g_build_filename (tmpdir, "holiday", NULL);
  g_autofree char *nested_path = g_build_filename (tmpdir, "holiday", "more", NULL);
  g_autofree char *junk_path = g_build_filename (tmpdir, "holiday", "readme.txt", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autoptr(GFile) video = NULL;
  g_autoptr(GFile) photo = NULL;
  g_autoptr(GFile) nested = NULL;
  g_autoptr(GFile) later = NULL;
  GdkFileList *list;
  GFile *files[1];
  TtdWindow *window;

  g_assert_cmpint (g_mkdir_with_parents (nested_path, 0755), ==, 0);
  video = ttd_test_write_video (tmpdir, "holiday/clip.mp4", 2 * 1024 * 1024);
  photo = ttd_test_write_png (tmpdir, "holiday/beach.png", 0x26a269ff, 640, 480);
  nested = ttd_test_write_png (tmpdir, "holiday/more/dunes.png", 0xc64600ff, 480, 640);
  g_assert_true (g_file_set_contents (junk_path, "not media", -1, NULL));
  later = ttd_test_write_png (tmpdir, "later.png", 0x813d9cff, 480, 480);

  window = make_window ();

  files[0] = folder;
  g_assert_true (drop_files (window, files, 1));
  ttd_test_wait_until (folder_added, window, 5000);
  g_assert_cmpuint (n_items (window), ==, 2);
  g_assert_cmpuint (slideshow_images (window), ==, 2);

  list = gdk_file_list_new_from_array (&later, 1);
  gdk_clipboard_set (gtk_widget_get_clipboard (GTK_WIDGET (window)), GDK_TYPE_FILE_LIST, list);
  g_boxed_free (GDK_TYPE_FILE_LIST, list);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.paste", NULL));
  ttd_test_wait_until (paste_added, window, 5000);
  g_assert_cmpuint (slideshow_images (window), ==, 3);
  g_assert_cmpuint (n_items (window), ==, 2);

  destroy_when_saved (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  ttd_test_init_ui (&argc, &argv);

  tmpdir = g_dir_make_tmp ("ttd-ui-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/ttd/ui/templates", test_templates);
  g_test_add_func ("/ttd/ui/item-state", test_item_state);
  g_test_add_func ("/ttd/ui/empty-and-sign-in", test_empty_and_sign_in);
  g_test_add_func ("/ttd/ui/drop-review-send", test_flow);
  g_test_add_func ("/ttd/ui/queue", test_queue);
  g_test_add_func ("/ttd/ui/slideshow-tiles", test_slideshow_tiles);
  g_test_add_func ("/ttd/ui/close-while-sending", test_close_while_sending);
  g_test_add_func ("/ttd/ui/folder-and-paste", test_folder_and_paste);
  g_test_add_func ("/ttd/ui/browse", test_browse);

  status = g_test_run ();

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);

    (void) !system (cmd);
  }

  return status;
}
