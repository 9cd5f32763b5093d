/* test-media-checks.c — ttd-media's checks on a table of bad inputs: each
 * gets a clear message that names the problem, none crashes, and good input next to them still passes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>
#if HAVE_GSTREAMER
#include <gst/gst.h>

#include "ttd-video-probe.h"
#endif

#include "ttd-core.h"

static char *workdir;

static char *
path_for (const char *name)
{
  return g_build_filename (workdir, name, NULL);
}

static char *
write_file (const char   *name,
            const void   *data,
            gsize         size)
{
  char *path = path_for (name);

  g_assert_true (g_file_set_contents (path, data, size, NULL));
  return path;
}

/* An ISO-BMFF header followed by filler: looks like MP4 to a sniffer. */
static char *
fake_mp4 (const char *name)
{
  static const char header[] = "\0\0\0\x20" "ftypisom\0\0\x02\0isomiso2avc1mp41";
  g_autofree char *data = g_malloc0 (64 * 1024);

  memcpy (data, header, sizeof header - 1);
  return write_file (name, data, 64 * 1024);
}

#if HAVE_GSTREAMER
/* Real videos from GStreamer's test source, encoded with what Debian's
 * plugins-base/good offer (VP8 in WebM, Motion JPEG in QuickTime). */
static char *
make_video (const char *name,
            const char *encoder_and_muxer,
            int         width,
            int         height,
            int         fps,
            int         frames)
{
  g_autofree char *path = path_for (name);
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;

  description = g_strdup_printf ("videotestsrc num-buffers=%d pattern=black ! "
                                 "video/x-raw,width=%d,height=%d,framerate=%d/1 ! %s ! "
                                 "filesink location=\"%s\"",
                                 frames, width, height, fps, encoder_and_muxer, path);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  message = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  return g_steal_pointer (&path);
}
#endif

/* Checks a video file; returns the error message (or NULL if accepted). */
static char *
check_video (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *content_type = NULL;
  gint64 size = 0;

  if (ttd_media_check_video (file, &content_type, &size, NULL, &error))
    return NULL;

  g_assert_true (error->domain == TTD_ERROR);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  return g_strdup (error->message);
}

static void
expect_video_refused (const char *label,
                      const char *path,
                      const char *fragment)
{
  g_autofree char *message = check_video (path);

  if (message == NULL)
    g_error ("%s: accepted, but should be refused", label);
  if (strstr (message, fragment) == NULL)
    g_error ("%s: “%s” does not say “%s”", label, message, fragment);
  g_test_message ("%s → %s", label, message);
}

static void
test_videos (void)
{
  g_autofree char *empty = write_file ("empty.mp4", "", 0);
  g_autofree char *truncated = write_file ("truncated.mp4", "\0\0\0\x20" "ft", 6);
  static const char png_bytes[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0";
  g_autofree char *png = write_file ("picture.mp4", png_bytes, sizeof png_bytes - 1);
  g_autofree char *text = write_file ("notes.mov", "just some text, not a video\n", 28);
  g_autofree char *sparse = path_for ("huge.mp4");
  g_autofree char *missing = path_for ("vanished.mp4");
  g_autofree char *loop_a = path_for ("loop-a.mp4");
  g_autofree char *loop_b = path_for ("loop-b.mp4");
  g_autofree char *folder = path_for ("junk-folder");
  g_autofree char *fifo = path_for ("pipe.mp4");
  g_autofree char *odd_name = path_for ("\xff\xfe bad name.mp4");
  g_autofree char *good = fake_mp4 ("good.mp4");
  g_autofree char *odd_message = NULL;
  int fd;

  expect_video_refused ("0-byte file", empty, "empty");
  expect_video_refused ("truncated file", truncated, "not a video TikTok accepts");
  expect_video_refused ("PNG renamed .mp4", png, "not a video TikTok accepts");
  expect_video_refused ("text renamed .mov", text, "not a video TikTok accepts");

  /* 5 GB, sparse: no disk space used. */
  fd = g_open (sparse, O_CREAT | O_WRONLY, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 5 * 1000 * 1000 * 1000), ==, 0);
  close (fd);
  expect_video_refused ("5 GB sparse file", sparse, "larger than 4 GB");

  expect_video_refused ("vanished file", missing, "does not exist");

  g_assert_cmpint (symlink (loop_b, loop_a), ==, 0);
  g_assert_cmpint (symlink (loop_a, loop_b), ==, 0);
  expect_video_refused ("symlink loop", loop_a, "loop-a.mp4");

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_free (write_file ("junk-folder/readme.txt", "x", 1));
  expect_video_refused ("directory of junk", folder, "not a regular file");

  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
  expect_video_refused ("named pipe", fifo, "not a regular file");

  /* A file name that is not UTF-8: the message still is. */
  g_assert_true (g_file_set_contents (odd_name, "", 0, NULL));
  odd_message = check_video (odd_name);
  g_assert_nonnull (odd_message);
  g_assert_true (g_utf8_validate (odd_message, -1, NULL));
  g_assert_nonnull (strstr (odd_message, "bad name.mp4"));

  /* The good file next to them is still accepted. */
  g_assert_null (check_video (good));
}

static void
test_unreadable (void)
{
  g_autofree char *path = fake_mp4 ("locked.mp4");
  int status = 0;
  pid_t pid;

  g_assert_cmpint (chmod (path, 0), ==, 0);

  /* root reads anything: check as an ordinary user in a child. */
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      struct passwd *nobody = getpwnam ("nobody");
      g_autofree char *message = NULL;

      if (geteuid () == 0 && (nobody == NULL || setgid (nobody->pw_gid) != 0 || setuid (nobody->pw_uid) != 0))
        _exit (3);
      message = check_video (path);
      _exit (message != NULL && (strstr (message, "permission") || strstr (message, "could not be read")) ? 0 : 1);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

#if HAVE_GSTREAMER
static void
test_probed_videos (void)
{
  g_autofree char *good = make_video ("good.webm", "vp8enc deadline=1 ! webmmux", 640, 480, 30, 30);
  g_autofree char *slow = make_video ("slow.webm", "vp8enc deadline=1 ! webmmux", 640, 480, 15, 15);
  g_autofree char *tiny = make_video ("tiny.webm", "vp8enc deadline=1 ! webmmux", 200, 200, 30, 30);
  g_autofree char *mjpeg = make_video ("mjpeg.mov", "jpegenc ! qtmux", 640, 480, 30, 30);
  g_autofree char *long_video = make_video ("long.mov", "jpegenc quality=10 ! qtmux", 360, 360, 23, 23 * 601);

  if (!ttd_video_probe_available ())
    {
      g_test_fail_printf ("GStreamer's discoverer is built in but not available");
      return;
    }

  g_assert_null (check_video (good));
  expect_video_refused ("15 fps video", slow, "frames per second");
  expect_video_refused ("200 × 200 video", tiny, "360 to 4096");
  expect_video_refused ("Motion JPEG video", mjpeg, "does not take");
  expect_video_refused ("10 min 1 s video", long_video, "at most 10 minutes");
}
#endif

static TtdSlideshow *
slideshow_of (guint n)
{
  TtdSlideshow *slideshow = ttd_slideshow_new ();
  g_autofree char *path = write_file ("photo.jpg", "\xff\xd8\xff\xe0", 4);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (slideshow->images, g_file_new_for_path (path));

  return slideshow;
}

static void
expect_slideshow_refused (const char   *label,
                          TtdSlideshow *slideshow,
                          const char   *fragment)
{
  g_autoptr(GError) error = NULL;

  if (ttd_slideshow_check (slideshow, &error))
    g_error ("%s: accepted, but should be refused", label);
  if (strstr (error->message, fragment) == NULL)
    g_error ("%s: “%s” does not say “%s”", label, error->message, fragment);
  g_test_message ("%s → %s", label, error->message);
}

static void
test_slideshows (void)
{
  g_autoptr(TtdSlideshow) many = slideshow_of (36);
  g_autoptr(TtdSlideshow) none = slideshow_of (0);
  g_autoptr(TtdSlideshow) titled = slideshow_of (2);
  g_autoptr(TtdSlideshow) described = slideshow_of (2);
  g_autoptr(TtdSlideshow) covered = slideshow_of (2);
  g_autoptr(TtdSlideshow) ok = slideshow_of (35);
  GString *title = g_string_new (NULL);

  expect_slideshow_refused ("36 images", many, "at most 35");
  expect_slideshow_refused ("no images", none, "at least one");

  for (guint i = 0; i < 91; i++)
    g_string_append (title, "é");
  titled->title = g_string_free (title, FALSE);
  expect_slideshow_refused ("91-unit title", titled, "at most 90");

  described->description = g_strnfill (4001, 'd');
  expect_slideshow_refused ("4001-unit description", described, "at most 4000");

  covered->cover_index = 2;
  expect_slideshow_refused ("cover out of range", covered, "from 0 to 1");

  g_assert_true (ttd_slideshow_check (ok, NULL));
  g_assert_cmpint (ttd_utf16_length ("😀😀"), ==, 4);
}

static void
test_decoder_bomb (void)
{
  /* A real PNG header claiming 100000 × 100000 pixels, with no data. */
  static const guint8 bomb[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
    0, 0, 0, 13, 'I', 'H', 'D', 'R', 0x00, 0x01, 0x86, 0xa0, 0x00, 0x01, 0x86, 0xa0,
    8, 2, 0, 0, 0, 0x1d, 0x5e, 0x4c, 0x05,
  };
  g_autofree char *path = write_file ("bomb.png", bomb, sizeof bomb);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdConvertedImage) image = ttd_image_convert_to_jpeg (file, 0, NULL, &error);

  g_assert_null (image);
  g_assert_error (error, TTD_ERROR, TTD_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "bomb.png"));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
#if HAVE_GSTREAMER
  gst_init (&argc, &argv);
#endif

  workdir = g_dir_make_tmp ("ttd-bad-input-XXXXXX", &error);
  g_assert_no_error (error);
  g_chmod (workdir, 0755);

  g_test_add_func ("/ttd/bad-input/videos", test_videos);
  g_test_add_func ("/ttd/bad-input/unreadable", test_unreadable);
#if HAVE_GSTREAMER
  g_test_add_func ("/ttd/bad-input/probed-videos", test_probed_videos);
#endif
  g_test_add_func ("/ttd/bad-input/slideshows", test_slideshows);
  g_test_add_func ("/ttd/bad-input/decoder-bomb", test_decoder_bomb);

  status = g_test_run ();
#if HAVE_GSTREAMER
  /* GStreamer's pooled streaming threads go before the process exits: under
   * load, LeakSanitizer's exit-time check crashed now and then ("Tracer
   * caught signal 11") while they were still winding down. */
  gst_deinit ();
#endif
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", workdir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  return status;
}
