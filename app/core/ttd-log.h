/* ttd-log.h — one place where everything logged is redacted
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void  ttd_log_init          (void);
void  ttd_log_add_secret    (const char *secret);
char *ttd_log_redact        (const char *text);

G_END_DECLS
