/* ttd-window.h — the main window: sign in, drop media, send to drafts
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ttd-core.h"

G_BEGIN_DECLS

#define TTD_TYPE_WINDOW (ttd_window_get_type ())

G_DECLARE_FINAL_TYPE (TtdWindow, ttd_window, TTD, WINDOW, AdwApplicationWindow)

TtdWindow  *ttd_window_new          (GtkApplication  *application);
void        ttd_window_set_account  (TtdWindow       *self,
                                     TtdAccount      *account);
TtdAccount *ttd_window_get_account  (TtdWindow       *self);
gboolean    ttd_window_is_sending   (TtdWindow       *self);

G_END_DECLS
