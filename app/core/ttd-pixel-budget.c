/* ttd-pixel-budget.c
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ttd-pixel-budget.h"

/* Decoding a picture takes memory in proportion to its pixels (a 120 MP
 * PNG is about 470 MB while it decodes), and the decoders run one per
 * processor. Every decoder takes its pixels from one shared budget before
 * it decodes and gives them back after: waiters are served in order, and a
 * picture larger than the whole budget runs alone. */

struct _TtdPixelBudget
{
  GMutex  mutex;
  GCond   cond;
  gint64  limit;
  gint64  in_use;
  gint64  peak;
  GQueue  waiters;    /* of Waiter, first come first served */
};

typedef struct
{
  gint64 pixels;
} Waiter;

TtdPixelBudget *
ttd_pixel_budget_new (gint64 limit)
{
  TtdPixelBudget *self = g_new0 (TtdPixelBudget, 1);

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->waiters);
  self->limit = MAX (limit, 1);

  return self;
}

void
ttd_pixel_budget_free (TtdPixelBudget *self)
{
  if (self == NULL)
    return;

  g_warn_if_fail (self->in_use == 0 && g_queue_is_empty (&self->waiters));
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

/**
 * ttd_pixel_budget_get_default:
 *
 * Returns: (transfer none): the budget every picture decoder shares
 */
TtdPixelBudget *
ttd_pixel_budget_get_default (void)
{
  static TtdPixelBudget *budget;

  if (g_once_init_enter (&budget))
    g_once_init_leave (&budget, ttd_pixel_budget_new (TTD_PIXEL_BUDGET_DEFAULT));

  return budget;
}

void
ttd_pixel_budget_set_limit (TtdPixelBudget *self,
                            gint64          limit)
{
  g_mutex_lock (&self->mutex);
  self->limit = MAX (limit, 1);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

static void
cancelled_cb (GCancellable   *cancellable,
              TtdPixelBudget *self)
{
  g_mutex_lock (&self->mutex);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

/**
 * ttd_pixel_budget_acquire:
 *
 * Waits until @pixels fit into what the budget has left (or, for more
 * than the whole budget, until nothing else is decoding), then takes them.
 * Blocks: call it in a worker thread.
 *
 * Returns: %FALSE, with %G_IO_ERROR_CANCELLED, if @cancellable was
 *   cancelled first; then nothing was taken.
 */
gboolean
ttd_pixel_budget_acquire (TtdPixelBudget  *self,
                          gint64           pixels,
                          GCancellable    *cancellable,
                          GError         **error)
{
  Waiter waiter = { MAX (pixels, 0) };
  gulong handler = 0;
  gboolean cancelled = FALSE;

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self, NULL);

  g_mutex_lock (&self->mutex);
  g_queue_push_tail (&self->waiters, &waiter);
  while (!(cancelled = g_cancellable_is_cancelled (cancellable)) &&
         (g_queue_peek_head (&self->waiters) != &waiter ||
          (self->in_use > 0 && self->in_use + waiter.pixels > self->limit)))
    g_cond_wait (&self->cond, &self->mutex);

  g_queue_remove (&self->waiters, &waiter);
  if (!cancelled)
    {
      self->in_use += waiter.pixels;
      self->peak = MAX (self->peak, self->in_use);
    }
  /* the next in line may fit too, or is now first */
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  /* outside the lock: disconnecting waits for a running callback */
  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);

  if (cancelled)
    return !g_cancellable_set_error_if_cancelled (cancellable, error);

  return TRUE;
}

void
ttd_pixel_budget_release (TtdPixelBudget *self,
                          gint64          pixels)
{
  g_mutex_lock (&self->mutex);
  g_warn_if_fail (self->in_use >= MAX (pixels, 0));
  self->in_use -= MAX (pixels, 0);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

gint64
ttd_pixel_budget_get_in_use (TtdPixelBudget *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  return self->in_use;
}

/**
 * ttd_pixel_budget_take_peak:
 *
 * Returns: the most pixels in use at once since the last call
 */
gint64
ttd_pixel_budget_take_peak (TtdPixelBudget *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  gint64 peak = self->peak;

  self->peak = self->in_use;
  return peak;
}
