/* fuzz-main.c — a main() for the fuzz targets when libFuzzer is not used
 *
 * Runs LLVMFuzzerTestOneInput() once on every file given, or on every file
 * inside each directory given, so `meson test --suite fuzz-corpus` replays
 * the seed corpus (and any crash reproducer added to it) with gcc too.
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "fuzz-common.h"

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static gboolean
run_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return FALSE;
    }

  printf ("# %s (%" G_GSIZE_FORMAT " bytes)\n", path, length);
  fflush (stdout);
  /* An exact-size heap copy, so ASan sees reads past the end. */
  {
    g_autofree uint8_t *copy = g_memdup2 (contents, length ? length : 1);

    LLVMFuzzerTestOneInput (copy, length);
  }

  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  guint ran = 0;

  /* libFuzzer always tries the empty input first; so does this driver. */
  {
    g_autofree uint8_t *empty = g_malloc (1);

    printf ("# (empty input)\n");
    fflush (stdout);
    LLVMFuzzerTestOneInput (empty, 0);
  }

  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GDir) dir = g_dir_open (argv[i], 0, NULL);
          g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
          const char *name;

          if (dir == NULL)
            return 1;
          while ((name = g_dir_read_name (dir)) != NULL)
            g_ptr_array_add (names, g_build_filename (argv[i], name, NULL));
          g_ptr_array_sort (names, compare_paths);

          for (guint j = 0; j < names->len; j++)
            {
              if (!run_file (g_ptr_array_index (names, j)))
                return 1;
              ran++;
            }
        }
      else
        {
          if (!run_file (argv[i]))
            return 1;
          ran++;
        }
    }

  printf ("# ran %u inputs\n", ran);

  /* An empty corpus means a wrong path, not a pass. */
  return ran > 0 ? 0 : 1;
}
