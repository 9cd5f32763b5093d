/* ttd-preferences-window.h — TikTok app credentials and the photo host
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TTD_TYPE_PREFERENCES_WINDOW (ttd_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (TtdPreferencesWindow, ttd_preferences_window, TTD, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWidget *ttd_preferences_window_new (GSettings *settings);

G_END_DECLS
