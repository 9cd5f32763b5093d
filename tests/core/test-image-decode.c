/* test-image-decode.c — pictures are judged by their content before any
 * loader parses them, and decoding stays within one pixel budget.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "ttd-core.h"

static char *workdir;

static GFile *
write_file (const char *name,
            const void *data,
            gsize       size)
{
  g_autofree char *path = g_build_filename (workdir, name, NULL);

  g_assert_true (g_file_set_contents (path, data, size, NULL));
  return g_file_new_for_path (path);
}

static GFile *
write_png (const char *name,
           int         width,
           int         height)
{
  g_autofree char *path = g_build_filename (workdir, name, NULL);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, 0x3080c0ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, "compression", "1", NULL));
  return g_file_new_for_path (path);
}

static gboolean
keep_size (int       width,
           int       height,
           int      *scaled_width,
           int      *scaled_height,
           gpointer  user_data,
           GError  **error)
{
  return TRUE;
}

/* Formats gdk-pixbuf has loaders for, but TikTok Drafts does not take,
 * each named .jpg: none may reach a loader (the message names what the
 * content is, not what a loader made of it). */
static void
test_foreign_formats (void)
{
  static const guint8 tga[] = {
    0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0, 24, 0,
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
  };
  static const char xpm[] =
    "/* XPM */\nstatic char *x[] = {\n\"2 2 1 1\",\n\"a c #ff0000\",\n\"aa\",\n\"aa\"};\n";
  static const guint8 ico[] = {
    0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0, 32, 0, 0x68, 4, 0, 0, 22, 0, 0, 0,
    40, 0, 0, 0, 16, 0, 0, 0, 32, 0, 0, 0, 1, 0, 32, 0,
  };
  static const char svg[] =
    "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"20000\" height=\"20000\">"
    "<rect width=\"20000\" height=\"20000\" fill=\"red\"/></svg>\n";
  static const struct { const char *name; gconstpointer data; gsize size; } files[] = {
    { "targa.jpg", tga, sizeof tga },
    { "pixmap.jpg", xpm, sizeof xpm - 1 },
    { "icon.jpg", ico, sizeof ico },
    { "vector.jpg", svg, sizeof svg - 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GFile) file = write_file (files[i].name, files[i].data, files[i].size);
      g_autofree char *content_type = g_content_type_guess (NULL, files[i].data, files[i].size, NULL);
      g_autofree char *description = g_content_type_get_description (content_type);
      g_autoptr(GError) error = NULL;
      g_autoptr(TtdConvertedImage) image = NULL;
      g_autoptr(GFileInputStream) stream = NULL;
      g_autoptr(GdkPixbuf) pixbuf = NULL;

      g_test_message ("%s: %s", files[i].name, content_type);
      image = ttd_image_convert_to_jpeg (file, 0, NULL, &error);
      g_assert_null (image);
      g_assert_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE);
      g_assert_nonnull (strstr (error->message, files[i].name));
      g_assert_nonnull (strstr (error->message, "does not convert"));
      g_assert_nonnull (strstr (error->message, description));
      g_clear_error (&error);

      /* the thumbnails' way in */
      stream = g_file_read (file, NULL, NULL);
      pixbuf = ttd_image_decode (G_INPUT_STREAM (stream), files[i].name, 0, keep_size, NULL, NULL, &error);
      g_assert_null (pixbuf);
      g_assert_nonnull (strstr (error->message, description));
    }
}

/* A PNG named .jpg is still a PNG: judged by content, and converted. */
static void
test_named_wrong (void)
{
  g_autoptr(GFile) png = write_png ("really-a-png.jpg", 300, 200);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdConvertedImage) image = ttd_image_convert_to_jpeg (png, 0, NULL, &error);
  g_autoptr(GFileInputStream) stream = g_file_read (png, NULL, NULL);
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (image->width, ==, 300);
  g_assert_cmpint (image->height, ==, 200);

  pixbuf = ttd_image_decode (G_INPUT_STREAM (stream), "really-a-png.jpg", 0, keep_size, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 300);
  g_assert_cmpint (ttd_pixel_budget_get_in_use (ttd_pixel_budget_get_default ()), ==, 0);
}

typedef struct
{
  TtdPixelBudget *budget;
  gint64          pixels;
  GCancellable   *cancellable;
  gboolean        acquired;
  GError         *error;
  gint            done;
} Acquire;

static gpointer
acquire_thread (gpointer data)
{
  Acquire *acquire = data;

  acquire->acquired = ttd_pixel_budget_acquire (acquire->budget, acquire->pixels, acquire->cancellable,
                                                &acquire->error);
  g_atomic_int_set (&acquire->done, 1);
  return NULL;
}

static void
wait_done (Acquire *acquire)
{
  for (guint i = 0; i < 5000 && !g_atomic_int_get (&acquire->done); i++)
    g_usleep (1000);
  g_assert_true (g_atomic_int_get (&acquire->done));
}

/* Still waiting after a while. */
static void
assert_waiting (Acquire *acquire)
{
  g_usleep (50000);
  g_assert_false (g_atomic_int_get (&acquire->done));
}

static void
test_budget_blocks (void)
{
  g_autoptr(TtdPixelBudget) budget = ttd_pixel_budget_new (10);
  Acquire big = { budget, 50, NULL, FALSE, NULL, 0 };
  Acquire small = { budget, 1, NULL, FALSE, NULL, 0 };
  GThread *big_thread, *small_thread;

  g_assert_true (ttd_pixel_budget_acquire (budget, 4, NULL, NULL));
  g_assert_true (ttd_pixel_budget_acquire (budget, 6, NULL, NULL));
  g_assert_cmpint (ttd_pixel_budget_get_in_use (budget), ==, 10);

  /* larger than the whole budget: waits until nothing else decodes… */
  big_thread = g_thread_new ("big", acquire_thread, &big);
  assert_waiting (&big);
  ttd_pixel_budget_release (budget, 4);
  assert_waiting (&big);

  /* …and whoever comes later waits behind it, even if it would fit */
  small_thread = g_thread_new ("small", acquire_thread, &small);
  assert_waiting (&small);

  ttd_pixel_budget_release (budget, 6);
  wait_done (&big);
  g_assert_true (big.acquired);
  g_assert_cmpint (ttd_pixel_budget_get_in_use (budget), ==, 50);
  assert_waiting (&small);

  ttd_pixel_budget_release (budget, 50);
  wait_done (&small);
  g_assert_true (small.acquired);
  ttd_pixel_budget_release (budget, 1);

  g_assert_cmpint (ttd_pixel_budget_take_peak (budget), ==, 50);
  g_thread_join (big_thread);
  g_thread_join (small_thread);
}

static void
test_budget_cancel (void)
{
  g_autoptr(TtdPixelBudget) budget = ttd_pixel_budget_new (10);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Acquire waiting = { budget, 5, cancellable, TRUE, NULL, 0 };
  Acquire after = { budget, 5, NULL, FALSE, NULL, 0 };
  GThread *thread, *after_thread;
  g_autoptr(GError) error = NULL;

  g_assert_true (ttd_pixel_budget_acquire (budget, 8, NULL, NULL));
  thread = g_thread_new ("waiting", acquire_thread, &waiting);
  assert_waiting (&waiting);
  after_thread = g_thread_new ("after", acquire_thread, &after);
  assert_waiting (&after);

  g_cancellable_cancel (cancellable);
  wait_done (&waiting);
  g_assert_false (waiting.acquired);
  g_assert_error (waiting.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&waiting.error);
  g_assert_cmpint (ttd_pixel_budget_get_in_use (budget), ==, 8);

  /* the one behind it is not stuck */
  ttd_pixel_budget_release (budget, 8);
  wait_done (&after);
  g_assert_true (after.acquired);

  /* cancelled before: nothing taken, no wait */
  g_assert_false (ttd_pixel_budget_acquire (budget, 1, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  ttd_pixel_budget_release (budget, 5);
  g_assert_cmpint (ttd_pixel_budget_get_in_use (budget), ==, 0);

  g_thread_join (thread);
  g_thread_join (after_thread);
}

typedef struct
{
  TtdPixelBudget *budget;
  gint64          limit;
  gint            over;
} Stress;

static gpointer
stress_thread (gpointer data)
{
  Stress *stress = data;

  for (guint i = 0; i < 300; i++)
    {
      gint64 pixels = g_random_int_range (1, 40);

      g_assert_true (ttd_pixel_budget_acquire (stress->budget, pixels, NULL, NULL));
      if (ttd_pixel_budget_get_in_use (stress->budget) > stress->limit)
        g_atomic_int_inc (&stress->over);
      g_thread_yield ();
      ttd_pixel_budget_release (stress->budget, pixels);
    }

  return NULL;
}

static void
test_budget_never_over (void)
{
  g_autoptr(TtdPixelBudget) budget = ttd_pixel_budget_new (64);
  Stress stress = { budget, 64, 0 };
  GThread *threads[8];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("stress", stress_thread, &stress);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  g_assert_cmpint (stress.over, ==, 0);
  g_assert_cmpint (ttd_pixel_budget_get_in_use (budget), ==, 0);
  g_assert_cmpint (ttd_pixel_budget_take_peak (budget), <=, 64);
}

/* Several big pictures converted at once take their pixels from the one
 * budget: never more at once than it allows. */
static void
test_conversion_within_budget (void)
{
  TtdPixelBudget *budget = ttd_pixel_budget_get_default ();
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("big-%u.png", i);

      g_ptr_array_add (files, write_png (name, 2500, 2000));
    }

  /* room for one 5 MP picture at a time, not two */
  ttd_pixel_budget_set_limit (budget, 9000000);
  ttd_pixel_budget_take_peak (budget);
  images = ttd_image_convert_many (files, 0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (images->len, ==, 4);
  g_assert_cmpint (ttd_pixel_budget_take_peak (budget), ==, 5000000);
  g_assert_cmpint (ttd_pixel_budget_get_in_use (budget), ==, 0);
  ttd_pixel_budget_set_limit (budget, TTD_PIXEL_BUDGET_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  workdir = g_dir_make_tmp ("ttd-test-image-decode-XXXXXX", NULL);

  g_test_add_func ("/ttd/image-decode/foreign-formats", test_foreign_formats);
  g_test_add_func ("/ttd/image-decode/named-wrong", test_named_wrong);
  g_test_add_func ("/ttd/pixel-budget/blocks", test_budget_blocks);
  g_test_add_func ("/ttd/pixel-budget/cancel", test_budget_cancel);
  g_test_add_func ("/ttd/pixel-budget/never-over", test_budget_never_over);
  g_test_add_func ("/ttd/pixel-budget/conversion", test_conversion_within_budget);

  status = g_test_run ();
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", workdir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  return status;
}
