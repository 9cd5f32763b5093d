/* ttd-wait.c — everything the core waits for, cancellably
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ttd-secure.h"
#include "ttd-wait.h"

/**
 * ttd_sleep_cancellable:
 *
 * Sleeps for @milliseconds, or until @cancellable is cancelled. Blocks.
 *
 * Returns: %FALSE with %G_IO_ERROR_CANCELLED if it was cancelled.
 */
gboolean
ttd_sleep_cancellable (guint          milliseconds,
                       GCancellable  *cancellable,
                       GError       **error)
{
  GPollFD fd;

  if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &fd))
    {
      g_poll (&fd, 1, milliseconds);
      g_cancellable_release_fd (cancellable);
    }
  else
    g_usleep ((gulong) milliseconds * 1000);

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/**
 * ttd_wait_for_network:
 *
 * Returns at once while GIO believes the network is there; otherwise
 * pauses (cancellably) until it comes back.
 */
gboolean
ttd_wait_for_network (GCancellable  *cancellable,
                      GError       **error)
{
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  gboolean announced = FALSE;

  while (!g_network_monitor_get_network_available (monitor))
    {
      if (!announced)
        g_message ("The network is gone; waiting for it to come back");
      announced = TRUE;
      if (!ttd_sleep_cancellable (1000, cancellable, error))
        return FALSE;
    }

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/**
 * ttd_wait_rate_limited:
 * @attempt: how many times in a row TikTok said rate_limit_exceeded
 *
 * TikTok's windows are one minute: wait 5, 10, 20, then 40 seconds.
 */
gboolean
ttd_wait_rate_limited (guint          attempt,
                       GCancellable  *cancellable,
                       GError       **error)
{
  guint ms = 5000u << MIN (attempt, 3u);

  g_message ("TikTok is limiting requests; trying again in %u s", ms / 1000);
  return ttd_sleep_cancellable (ms + ttd_random_uint32 () % 1000, cancellable, error);
}

/**
 * ttd_backoff_ms:
 * @attempt: how many times in a row it failed
 *
 * Exponential back-off with jitter: 1 s, 2 s, 4 s … capped at 30 s, each
 * stretched by up to half again so retries from many clients spread out.
 *
 * Returns: how long to wait before the next attempt, in milliseconds.
 */
guint
ttd_backoff_ms (guint attempt)
{
  guint base = MIN (30000u, 1000u << MIN (attempt, 5u));

  return base + ttd_random_uint32 () % (base / 2 + 1);
}

/**
 * ttd_rate_window_wait:
 * @times: when the last requests were made, oldest first
 * @now: the current time, same clock
 *
 * Returns: how long to wait before one more request keeps at most @limit
 *   requests in any @window.
 */
gint64
ttd_rate_window_wait (const gint64 *times,
                      guint         n_times,
                      gint64        now,
                      guint         limit,
                      gint64        window)
{
  gint64 oldest;

  if (n_times < limit)
    return 0;

  oldest = times[n_times - limit];
  return MAX (0, oldest + window - now);
}

/**
 * ttd_pacer_init:
 * @limit: at most this many requests…
 * @window: …in any window of this many microseconds
 */
void
ttd_pacer_init (TtdPacer *self,
                guint     limit,
                gint64    window)
{
  g_return_if_fail (limit > 0);

  g_mutex_init (&self->lock);
  self->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->limit = limit;
  self->window = window;
}

void
ttd_pacer_clear (TtdPacer *self)
{
  g_clear_pointer (&self->times, g_array_unref);
  g_mutex_clear (&self->lock);
}

/**
 * ttd_pacer_wait:
 *
 * Waits (cancellably) until one more request is within the limit, then
 * counts it. Blocks.
 */
gboolean
ttd_pacer_wait (TtdPacer      *self,
                GCancellable  *cancellable,
                GError       **error)
{
  gint64 wait;
  gint64 now;

  g_mutex_lock (&self->lock);
  wait = ttd_rate_window_wait ((gint64 *) (gpointer) self->times->data, self->times->len,
                               g_get_monotonic_time (), self->limit, self->window);
  g_mutex_unlock (&self->lock);

  if (wait > 0)
    {
      g_message ("Waiting %" G_GINT64_FORMAT " s to stay within TikTok's limit of %u requests in %"
                 G_GINT64_FORMAT " s", wait / G_USEC_PER_SEC + 1, self->limit, self->window / G_USEC_PER_SEC);
      if (!ttd_sleep_cancellable (wait / 1000 + 1, cancellable, error))
        return FALSE;
    }

  g_mutex_lock (&self->lock);
  now = g_get_monotonic_time ();
  g_array_append_val (self->times, now);
  if (self->times->len > self->limit)
    g_array_remove_range (self->times, 0, self->times->len - self->limit);
  g_mutex_unlock (&self->lock);

  return TRUE;
}
