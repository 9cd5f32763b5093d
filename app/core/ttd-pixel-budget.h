/* ttd-pixel-budget.h — how many pixels may be decoded at once
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* About 512 MB of RGBA: a few big photos at once, whatever the number of
 * processors. */
#define TTD_PIXEL_BUDGET_DEFAULT ((gint64) 128000000)

typedef struct _TtdPixelBudget TtdPixelBudget;

TtdPixelBudget *ttd_pixel_budget_new         (gint64           limit);
void            ttd_pixel_budget_free        (TtdPixelBudget  *self);
TtdPixelBudget *ttd_pixel_budget_get_default (void);
void            ttd_pixel_budget_set_limit   (TtdPixelBudget  *self,
                                              gint64           limit);
gboolean        ttd_pixel_budget_acquire     (TtdPixelBudget  *self,
                                              gint64           pixels,
                                              GCancellable    *cancellable,
                                              GError         **error);
void            ttd_pixel_budget_release     (TtdPixelBudget  *self,
                                              gint64           pixels);
gint64          ttd_pixel_budget_get_in_use  (TtdPixelBudget  *self);
gint64          ttd_pixel_budget_take_peak   (TtdPixelBudget  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtdPixelBudget, ttd_pixel_budget_free)

G_END_DECLS
