/* ttd-cancellable.c — one cancellable following another
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For work that can be cancelled by its caller and also by itself (a
 * batch that stops at its first failure, a chunk that libsoup must not
 * re-send): the work runs on its own cancellable, which follows the
 * caller's.
 */

#include "config.h"

#include "ttd-cancellable.h"

static void
forward_cb (GCancellable *from,
            GCancellable *to)
{
  g_cancellable_cancel (to);
}

/**
 * ttd_cancellable_forward:
 * @from: (nullable): the caller's cancellable
 * @to: the work's own cancellable
 *
 * Cancels @to when @from is cancelled, at once if it already is.
 * (g_cancellable_connect() calls its callback with @from itself, so
 * g_cancellable_cancel() cannot be connected directly.)
 *
 * Returns: the handler to give g_cancellable_disconnect() with @from once
 *   the work is over, or 0 when @from is %NULL
 */
gulong
ttd_cancellable_forward (GCancellable *from,
                         GCancellable *to)
{
  g_return_val_if_fail (from == NULL || G_IS_CANCELLABLE (from), 0);
  g_return_val_if_fail (G_IS_CANCELLABLE (to), 0);

  if (from == NULL)
    return 0;

  return g_cancellable_connect (from, G_CALLBACK (forward_cb), g_object_ref (to), g_object_unref);
}
