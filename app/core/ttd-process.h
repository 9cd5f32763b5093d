/* ttd-process.h — whether the process that wrote something still runs
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gint64   ttd_process_start_time (gint64 pid);
gint64   ttd_process_own_start_time (void);
gboolean ttd_process_is_running (gint64 pid,
                                 gint64 start_time);

G_END_DECLS
