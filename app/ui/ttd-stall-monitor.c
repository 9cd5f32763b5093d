/* ttd-stall-monitor.c — main-loop stalls, measured for build-aux/bench.sh
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test-only and off unless $TTD_STALL_LOG names a file. Then a 1 ms timeout
 * at G_PRIORITY_HIGH runs on the default main context; whenever two of its
 * runs are STALL_MIN_US or more apart, something held the main loop that
 * long, and one line is appended to the file:
 *
 *   PID MONOTONIC_US GAP_US
 *
 * (CLOCK_MONOTONIC when the loop came back, and the gap), with a plain
 * write(2), so the lines are there even when the app is killed. A first
 * line "PID MONOTONIC_US 0" says the monitor is running. Appending lets a
 * second instance (that only forwards files to the first one) share the file.
 */

#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "ttd-stall-monitor.h"

#define STALL_MIN_US 4000

static int log_fd = -1;
static gint64 last_tick_us;

static void
log_gap (gint64 now,
         gint64 gap)
{
  char line[96];
  int length = g_snprintf (line, sizeof line, "%d %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                           (int) getpid (), now, gap);

  if (write (log_fd, line, (size_t) length) < 0)
    {
      /* Nowhere to report it; the benchmark notices the missing lines. */
    }
}

static gboolean
tick_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (now - last_tick_us >= STALL_MIN_US)
    log_gap (now, now - last_tick_us);
  last_tick_us = now;

  return G_SOURCE_CONTINUE;
}

/**
 * ttd_stall_monitor_start_from_env:
 *
 * Starts logging main-loop stalls to $TTD_STALL_LOG; does nothing when it
 * is unset or empty. Call once, before the main loop runs.
 */
void
ttd_stall_monitor_start_from_env (void)
{
  const char *path = g_getenv ("TTD_STALL_LOG");

  if (path == NULL || path[0] == '\0' || log_fd >= 0)
    return;

  log_fd = open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0)
    {
      g_warning ("TTD_STALL_LOG: cannot open %s", path);
      return;
    }

  last_tick_us = g_get_monotonic_time ();
  log_gap (last_tick_us, 0);
  g_timeout_add_full (G_PRIORITY_HIGH, 1, tick_cb, NULL, NULL);
}
