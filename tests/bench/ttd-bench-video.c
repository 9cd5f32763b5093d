/* ttd-bench-video.c — a real MP4 of an exact size, for build-aux/bench.sh's uploads
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: ttd-bench-video PATH BYTES
 *
 * Writes PATH as a playable MP4 of exactly BYTES bytes: two seconds of
 * GStreamer's test pattern, 1280×720 at 30 frames per second, VP9 in an MP4
 * container with its index (moov) first, followed by a top-level "free" box
 * of pseudo-random bytes that fills the file up to BYTES. It is what a
 * creator's video looks like to the app's checks (GStreamer finds a
 * supported codec, size, frame rate and duration at once) and to TikTok's
 * upload endpoint (bytes), which is what the benchmark must time; a file of
 * random bytes would instead time how GStreamer gives up on it.
 *
 * Exit status 0 on success, 1 on failure, 2 on usage errors.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gio/gio.h>
#include <gst/gst.h>

#define PIPELINE \
  "videotestsrc num-buffers=60 ! video/x-raw,format=I420,width=1280,height=720,framerate=30/1 ! " \
  "vp9enc deadline=1 cpu-used=8 ! " \
  /* mp4mux wants the chroma format, which only vp9parse (not in Debian's \
   * plugins-good) would add; this is what vp9enc makes from I420. */ \
  "video/x-vp9,profile=(string)0,chroma-format=(string)4:2:0,bit-depth-luma=(uint)8,bit-depth-chroma=(uint)8 ! " \
  "mp4mux faststart=true ! filesink location=\"%s\""

static gboolean
encode_head (const char  *path,
             GError     **error)
{
  g_autofree char *description = g_strdup_printf (PIPELINE, path);
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, error);
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;

  if (pipeline == NULL)
    return FALSE;

  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  if (message == NULL || GST_MESSAGE_TYPE (message) != GST_MESSAGE_EOS)
    {
      if (message != NULL)
        gst_message_parse_error (message, error, NULL);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "encoding took over a minute");
      return FALSE;
    }

  return TRUE;
}

/* Appends one "free" box so the file is exactly @size bytes long. */
static gboolean
pad_to (const char  *path,
        guint64      size,
        GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree guint32 *block = g_new (guint32, (1 << 20) / 4);
  guint64 have, left;
  guint8 header[8];
  guint32 state = (guint32) size | 1;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return FALSE;
  have = (guint64) g_file_info_get_size (info);
  if (size < have + sizeof header || size - have > G_MAXUINT32)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "the encoded video is %" G_GUINT64_FORMAT " bytes; cannot pad it to %" G_GUINT64_FORMAT,
                   have, size);
      return FALSE;
    }

  out = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, error);
  if (out == NULL)
    return FALSE;

  left = size - have;
  header[0] = left >> 24;
  header[1] = left >> 16;
  header[2] = left >> 8;
  header[3] = left;
  memcpy (header + 4, "free", 4);
  if (!g_output_stream_write_all (G_OUTPUT_STREAM (out), header, sizeof header, NULL, NULL, error))
    return FALSE;
  left -= sizeof header;

  /* Incompressible filler (xorshift32), so nothing on the way can shrink it. */
  for (guint i = 0; i < (1 << 20) / 4; i++)
    {
      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      block[i] = state;
    }
  while (left > 0)
    {
      gsize n = MIN (left, (guint64) 1 << 20);

      if (!g_output_stream_write_all (G_OUTPUT_STREAM (out), block, n, NULL, NULL, error))
        return FALSE;
      left -= n;
    }

  return g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  guint64 size;

  if (argc != 3 || !g_ascii_string_to_unsigned (argv[2], 10, 1, G_MAXUINT32, &size, NULL))
    {
      fprintf (stderr, "Usage: %s PATH BYTES (at most %u)\n", argv[0], G_MAXUINT32);
      return 2;
    }

  gst_init (&argc, &argv);
  if (!encode_head (argv[1], &error) || !pad_to (argv[1], size, &error))
    {
      fprintf (stderr, "ttd-bench-video: %s: %s\n", argv[1], error->message);
      return 1;
    }

  return 0;
}
