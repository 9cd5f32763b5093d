/* ttd-stall-monitor.h — main-loop stalls, measured for build-aux/bench.sh
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void ttd_stall_monitor_start_from_env (void);

G_END_DECLS
