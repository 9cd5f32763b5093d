/* ttd-cli-slideshow.c — the “slideshow” command
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ttd-cli.h"

/**
 * cli_queue_slideshow:
 * @slideshow: checked with ttd_slideshow_check()
 * @open_id: the account it is for
 *
 * Puts @slideshow in @queue as a new item, for “slideshow” and the MCP
 * tool send_slideshow.
 *
 * Returns: (transfer full) (nullable): the item, or %NULL with @error set
 */
TtdQueueItem *
cli_queue_slideshow (TtdQueue           *queue,
                     const TtdSlideshow *slideshow,
                     const char         *open_id,
                     GError            **error)
{
  g_autoptr(TtdQueueItem) item = ttd_queue_item_new (TTD_QUEUE_KIND_SLIDESHOW);

  item->open_id = g_strdup (open_id);
  item->paths = g_new0 (char *, slideshow->images->len + 1);
  for (guint i = 0; i < slideshow->images->len; i++)
    {
      GFile *image = g_ptr_array_index (slideshow->images, i);
      char *path = g_file_get_path (image);

      item->paths[i] = path ? path : g_file_get_uri (image);
    }
  item->title = g_strdup (slideshow->title);
  item->description = g_strdup (slideshow->description);
  item->cover_index = slideshow->cover_index;
  if (!ttd_queue_put (queue, item, error))
    return NULL;

  return g_steal_pointer (&item);
}

int
cli_cmd_slideshow (Cli    *cli,
                   int     argc,
                   char  **argv)
{
  g_auto(GStrv) image_args = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  int cover = 0;
  gboolean no_wait = FALSE;
  GOptionEntry entries[] = {
    { "images", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &image_args, N_("The photos, in order, separated by commas (or repeat the option); 1 to 35"), N_("A,B,…") },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("Title, at most 90 characters"), N_("TITLE") },
    { "description", 0, 0, G_OPTION_ARG_STRING, &description, N_("Description, at most 4000 characters; hashtags allowed"), N_("TEXT") },
    { "cover", 0, 0, G_OPTION_ARG_INT, &cover, N_("Which photo is the cover, counting from 0 (default 0)"), N_("N") },
    { "no-wait", 0, 0, G_OPTION_ARG_NONE, &no_wait, N_("Return once TikTok accepted the slideshow, without waiting for it to fetch the photos"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TtdSlideshow) slideshow = ttd_slideshow_new ();
  g_autoptr(TtdUploadResult) result = NULL;
  g_autoptr(TtdQueue) queue = NULL;
  g_autoptr(TtdQueueItem) item = NULL;
  g_autofree char *open_id = NULL;

  if (!cli_parse_options (cli, "slideshow", NULL,
                          _("Sends photos to your TikTok inbox as one slideshow draft. The photos are "
                            "converted to JPEG and put on your photo host, where TikTok fetches them."),
                          entries, &argc, &argv))
    return cli->exit_code;

  if (image_args == NULL)
    return cli_fail_usage (cli, _("Give the photos with --images A,B,…"));

  for (guint i = 0; image_args[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (image_args[i], ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        if (*parts[j] != '\0')
          g_ptr_array_add (slideshow->images, g_file_new_for_commandline_arg (parts[j]));
    }

  if (cover < 0)
    return cli_fail_usage (cli, _("The cover is counted from 0; it cannot be negative."));

  slideshow->title = g_steal_pointer (&title);
  slideshow->description = g_steal_pointer (&description);
  slideshow->cover_index = cover;

  /* Everything that can be checked here is checked before anything is
   * converted, hosted or sent. */
  if (!ttd_slideshow_check (slideshow, &error))
    {
      cli_fail (cli, error);
      return EXIT_USAGE;
    }

  if (!cli_prepare_account (cli, TRUE, &error) || !cli_require_sign_in (cli, &error))
    return cli_fail (cli, error);

  if (!ttd_photo_host_check (cli->config, &error))
    return cli_fail (cli, error);

  queue = ttd_queue_new (NULL);
  open_id = ttd_account_dup_open_id (cli->account);
  item = cli_queue_slideshow (queue, slideshow, open_id, &error);
  if (item == NULL)
    return cli_fail (cli, error);

  result = cli_send_item (cli, queue, item->id, !no_wait, cli_print_progress, cli, &error);
  if (result == NULL)
    return cli_fail_send (cli, NULL, error);

  return cli_report_sent (cli, NULL, result, !no_wait);
}
