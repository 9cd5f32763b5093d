/* ttd-bench-photos.c — the app's photo preparation, timed, for build-aux/bench.sh
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: ttd-bench-photos [--quality Q] [--output-dir DIR] FILE…
 *
 * Converts every FILE with ttd_image_convert_many() — exactly what a
 * slideshow send does: one worker per processor, each picture decoded,
 * scaled to at most 1080p and encoded as a JPEG — then, with --output-dir,
 * writes each JPEG as DIR/<name>.jpg (so the work matches
 * `convert IN -resize … -quality Q OUT.jpg`). Prints one JSON line:
 *   {"files": N, "seconds": S, "width": W, "height": H, "bytes": B}
 * (S: wall time of conversion plus writing; W×H: the first picture's size;
 * B: all JPEG bytes). Exit status 0 on success, 1 on any error.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ttd-image-convert.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output_dir = NULL;
  g_auto(GStrv) names = NULL;
  int quality = TTD_JPEG_QUALITY_DEFAULT;
  gint64 start;
  gint64 bytes = 0;
  double seconds;
  const GOptionEntry entries[] = {
    { "quality", 0, 0, G_OPTION_ARG_INT, &quality, "JPEG quality (default 90)", "Q" },
    { "output-dir", 0, 0, G_OPTION_ARG_FILENAME, &output_dir, "Write the JPEGs here", "DIR" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &names, NULL, "FILE…" },
    { NULL }
  };

  context = g_option_context_new ("FILE… — convert pictures like a slideshow send, timed");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (names == NULL || names[0] == NULL)
    {
      g_printerr ("No files given.\n");
      return 2;
    }

  for (guint i = 0; names[i] != NULL; i++)
    g_ptr_array_add (files, g_file_new_for_commandline_arg (names[i]));

  start = g_get_monotonic_time ();

  images = ttd_image_convert_many (files, quality, NULL, NULL, NULL, &error);
  if (images == NULL)
    {
      g_printerr ("Conversion failed: %s\n", error->message);
      return 1;
    }

  for (guint i = 0; i < images->len; i++)
    {
      TtdConvertedImage *image = g_ptr_array_index (images, i);
      gsize size = 0;
      gconstpointer data = g_bytes_get_data (image->jpeg, &size);

      bytes += size;
      if (output_dir != NULL)
        {
          g_autofree char *base = g_path_get_basename (names[i]);
          char *dot = strrchr (base, '.');
          g_autofree char *path = NULL;

          if (dot != NULL)
            *dot = '\0';
          path = g_strdup_printf ("%s/%s.jpg", output_dir, base);
          if (!g_file_set_contents (path, data, (gssize) size, &error))
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
        }
    }

  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  {
    TtdConvertedImage *first = g_ptr_array_index (images, 0);

    printf ("{\"files\": %u, \"seconds\": %.4f, \"width\": %d, \"height\": %d, \"bytes\": %" G_GINT64_FORMAT "}\n",
            images->len, seconds, first->width, first->height, bytes);
  }

  return 0;
}
