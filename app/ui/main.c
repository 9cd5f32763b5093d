/* main.c — TikTok Drafts
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ttd-application.h"
#if TTD_STALL_MONITOR
#include "ttd-stall-monitor.h"
#endif

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TtdApplication) app = NULL;

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  ttd_log_init ();
#if TTD_STALL_MONITOR
  ttd_stall_monitor_start_from_env ();
#endif
  g_set_application_name (_("TikTok Drafts"));

  app = ttd_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
