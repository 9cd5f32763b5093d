/* ttd-wait.h — waiting: cancellable sleeps, back-off, rate windows, the network
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * TtdPacer:
 *
 * Keeps requests under a limit per sliding window (TikTok's rate limits),
 * shared by every thread. Embed it; ttd_pacer_init() and ttd_pacer_clear()
 * it like a #GMutex.
 */
typedef struct
{
  /*< private >*/
  GMutex  lock;
  GArray *times;     /* monotonic µs of the latest requests, oldest first */
  guint   limit;
  gint64  window;    /* µs */
} TtdPacer;

gboolean  ttd_sleep_cancellable   (guint          milliseconds,
                                   GCancellable  *cancellable,
                                   GError       **error);
gboolean  ttd_wait_for_network    (GCancellable  *cancellable,
                                   GError       **error);
gboolean  ttd_wait_rate_limited   (guint          attempt,
                                   GCancellable  *cancellable,
                                   GError       **error);
guint     ttd_backoff_ms          (guint          attempt);
gint64    ttd_rate_window_wait    (const gint64  *times,
                                   guint          n_times,
                                   gint64         now,
                                   guint          limit,
                                   gint64         window);

void      ttd_pacer_init          (TtdPacer      *self,
                                   guint          limit,
                                   gint64         window);
void      ttd_pacer_clear         (TtdPacer      *self);
gboolean  ttd_pacer_wait          (TtdPacer      *self,
                                   GCancellable  *cancellable,
                                   GError       **error);

G_END_DECLS
