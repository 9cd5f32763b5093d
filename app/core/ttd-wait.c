/* ttd-wait.c — everything the core waits for, cancellably
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ttd-error.h"
#include "ttd-secure.h"
#include "ttd-wait.h"

/* Retries after TikTok held an item back: the first wait and the longest,
 * in seconds. The pending cap needs the user to act in the TikTok app, so
 * minutes, growing; the rate limit is TikTok's one-minute window. */
static const struct
{
  guint first;
  guint cap;
} retry_steps[] = {
  [TTD_WAIT_NONE]        = {  60,  60 },
  [TTD_WAIT_PENDING_CAP] = { 120, 960 },
  [TTD_WAIT_RATE_LIMIT]  = {  60, 300 },
  [TTD_WAIT_ELSEWHERE]   = {  30,  30 },
};

static const char *reason_names[] = { NULL, "pending-cap", "rate-limit", "elsewhere" };

typedef struct
{
  gint64 next_try_at;
} TtdWaitErrorPrivate;

static void
ttd_wait_error_private_init (TtdWaitErrorPrivate *priv)
{
  priv->next_try_at = 0;
}

static void
ttd_wait_error_private_copy (const TtdWaitErrorPrivate *src,
                             TtdWaitErrorPrivate       *dest)
{
  dest->next_try_at = src->next_try_at;
}

static void
ttd_wait_error_private_clear (TtdWaitErrorPrivate *priv)
{
}

G_DEFINE_EXTENDED_ERROR (TtdWaitError, ttd_wait_error)

/* first, doubled @attempt times, at most @cap */
static guint
grow (guint first,
      guint cap,
      guint attempt)
{
  guint64 base = (guint64) first << MIN (attempt, 20u);

  return (guint) MIN (base, (guint64) cap);
}

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

/* TIKTOK_DRAFTS_RETRY_SECONDS, for tests: the first step of every wait
 * after TikTok's cap or rate limit. */
static gboolean
retry_override (guint *seconds)
{
  const char *text = g_getenv ("TIKTOK_DRAFTS_RETRY_SECONDS");
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, 24 * 3600, &value, NULL))
    return FALSE;

  *seconds = (guint) value;
  return TRUE;
}

/**
 * ttd_wait_rate_limited:
 * @attempt: how many times in a row TikTok said rate_limit_exceeded
 *
 * TikTok's windows are one minute: wait 5, 10, 20, then 40 seconds
 * (`TIKTOK_DRAFTS_RETRY_SECONDS` sets the first step).
 */
gboolean
ttd_wait_rate_limited (guint          attempt,
                       GCancellable  *cancellable,
                       GError       **error)
{
  guint first = 5;
  guint ms;

  retry_override (&first);
  ms = MIN (first, 3600u) * 1000u << MIN (attempt, 3u);

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
  guint base = grow (1000, 30000, attempt);

  return base + ttd_random_uint32 () % (base / 2 + 1);
}

/**
 * ttd_retry_delay_seconds:
 * @reason: why the item is held back
 * @attempt: how many times in a row it was held back before (0 the first time)
 *
 * How long a queue item that TikTok held back waits before it is tried
 * again: for the pending-draft cap 2, 4, 8, then 16 minutes; for the rate
 * limit 1, 2, 4, then 5 minutes; each stretched by up to a fifth so that
 * clients do not come back together. `TIKTOK_DRAFTS_RETRY_SECONDS` sets
 * the first step (and the cap with it, in proportion), for tests.
 * (The sender has already waited out a minute of the rate limit itself:
 * ttd_wait_rate_limited().)
 *
 * Returns: the wait in seconds
 */
guint
ttd_retry_delay_seconds (TtdWaitReason reason,
                         guint         attempt)
{
  guint first, cap, base, override;

  if (reason >= G_N_ELEMENTS (retry_steps))
    reason = TTD_WAIT_NONE;
  first = retry_steps[reason].first;
  cap = retry_steps[reason].cap;

  if (retry_override (&override))
    {
      cap = override * (cap / first);
      first = override;
    }

  base = grow (first, cap, attempt);
  return base + ttd_random_uint32 () % (base / 5 + 1);
}

/**
 * ttd_wait_reason_to_string:
 *
 * Returns: (nullable): the name kept in the queue file, such as "pending-cap"
 */
const char *
ttd_wait_reason_to_string (TtdWaitReason reason)
{
  return reason < G_N_ELEMENTS (reason_names) ? reason_names[reason] : NULL;
}

TtdWaitReason
ttd_wait_reason_from_string (const char *text)
{
  for (guint i = 1; text != NULL && i < G_N_ELEMENTS (reason_names); i++)
    if (g_str_equal (text, reason_names[i]))
      return i;

  return TTD_WAIT_NONE;
}

/**
 * ttd_wait_format_time:
 * @unix_time: seconds since the epoch
 *
 * Returns: (transfer full): the local time of day, such as "14:05"
 */
char *
ttd_wait_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  return time != NULL ? g_date_time_format (time, "%H:%M") : g_strdup ("?");
}

/**
 * ttd_wait_advice:
 *
 * Returns: a sentence for the user: why the item waits and what they can
 *   do, without the time
 */
const char *
ttd_wait_advice (TtdWaitReason reason)
{
  switch (reason)
    {
    case TTD_WAIT_PENDING_CAP:
      return _("You have too many drafts waiting in the TikTok app: post or delete some of them there, "
               "and this one is sent by itself.");
    case TTD_WAIT_RATE_LIMIT:
      return _("TikTok is limiting how often drafts can be sent; this one is sent by itself once the limit allows.");
    case TTD_WAIT_ELSEWHERE:
      return _("It is already being sent by another TikTok Drafts window or command.");
    case TTD_WAIT_NONE:
    default:
      return _("TikTok Drafts tries again by itself.");
    }
}

/**
 * ttd_wait_describe:
 * @reason: why the item waits
 * @next_try_at: when it is tried again (seconds since the epoch)
 *
 * Returns: (transfer full): one sentence saying why, what to do and when
 *   the next try is
 */
char *
ttd_wait_describe (TtdWaitReason reason,
                   gint64        next_try_at)
{
  g_autofree char *when = ttd_wait_format_time (next_try_at);

  switch (reason)
    {
    case TTD_WAIT_PENDING_CAP:
      return g_strdup_printf (_("You have too many drafts waiting in the TikTok app: post or delete some of them "
                                "there, and TikTok Drafts tries again at %s."), when);
    case TTD_WAIT_RATE_LIMIT:
      return g_strdup_printf (_("TikTok is limiting how often drafts can be sent, so TikTok Drafts tries again at %s."),
                              when);
    case TTD_WAIT_ELSEWHERE:
    case TTD_WAIT_NONE:
    default:
      return g_strdup_printf (_("This is already being sent by another TikTok Drafts window or command; "
                                "TikTok Drafts checks again at %s."), when);
    }
}

/**
 * ttd_wait_set_error:
 * @reason: why the item waits
 * @next_try_at: when it is tried again (seconds since the epoch)
 * @log_id: (nullable): TikTok's log ID of the answer that held it back
 *
 * Sets a %TTD_WAIT_ERROR: ttd_wait_describe()'s sentence, ending in
 * TikTok's log ID as every TikTok error does.
 */
void
ttd_wait_set_error (GError        **error,
                    TtdWaitReason   reason,
                    gint64          next_try_at,
                    const char     *log_id)
{
  g_autofree char *sentence = NULL;
  g_autoptr(GError) message = NULL;

  if (error == NULL)
    return;

  sentence = ttd_wait_describe (reason, next_try_at);
  ttd_set_tiktok_error (&message, TTD_ERROR_FAILED, reason == TTD_WAIT_ELSEWHERE ? NULL : log_id,
                        "%s", sentence);
  g_set_error_literal (error, TTD_WAIT_ERROR, reason, message->message);
  ttd_wait_error_get_private (*error)->next_try_at = next_try_at;
}

/**
 * ttd_wait_error_get_next_try:
 *
 * Returns: when the item @error is about is tried again (seconds since the
 *   epoch), or 0 if @error is not a %TTD_WAIT_ERROR
 */
gint64
ttd_wait_error_get_next_try (const GError *error)
{
  if (error == NULL || error->domain != TTD_WAIT_ERROR)
    return 0;

  return ttd_wait_error_get_private (error)->next_try_at;
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
