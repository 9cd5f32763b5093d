/* ttd-process.c — whether the process that wrote something still runs
 *
 * The queue's claims and the hosted-photos ledger name the process that
 * wrote them. A pid alone is not enough: pids are reused, and a file can
 * name pid 1, which always runs. A pid with its start time names one
 * process for as long as the machine is up.
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "ttd-process.h"

/**
 * ttd_process_start_time:
 *
 * Field 22 of /proc/<pid>/stat: when the process started, in clock ticks
 * since boot.
 *
 * Returns: the start time, or 0 when there is no such process (or none
 *   this one may see)
 */
gint64
ttd_process_start_time (gint64 pid)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *end;

  if (pid <= 0 || pid > G_MAXINT32)
    return 0;

  path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/stat", pid);
  if (!g_file_get_contents (path, &text, NULL, NULL) ||
      (end = strrchr (text, ')')) == NULL || end[1] != ' ')
    return 0;

  /* fields from the third (the state) on; the command name before may
   * hold spaces and parentheses, hence the last ')' */
  fields = g_strsplit (end + 2, " ", 21);
  if (g_strv_length (fields) < 20)
    return 0;

  return (gint64) g_ascii_strtoull (fields[19], NULL, 10);
}

gint64
ttd_process_own_start_time (void)
{
  return ttd_process_start_time (getpid ());
}

/**
 * ttd_process_is_running:
 *
 * Returns: whether the process with @pid that started at @start_time (as
 *   ttd_process_start_time() gave it) still runs
 */
gboolean
ttd_process_is_running (gint64 pid,
                        gint64 start_time)
{
  if (pid == getpid ())
    return start_time == ttd_process_own_start_time ();

  return pid > 0 && start_time > 0 && ttd_process_start_time (pid) == start_time;
}
