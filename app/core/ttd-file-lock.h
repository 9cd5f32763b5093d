/* ttd-file-lock.h — an exclusive lock that other processes respect
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _TtdFileLock TtdFileLock;

TtdFileLock *ttd_file_lock_acquire (const char    *path,
                                    guint          timeout_seconds,
                                    GCancellable  *cancellable,
                                    GError       **error);
void         ttd_file_lock_release (TtdFileLock   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtdFileLock, ttd_file_lock_release)

G_END_DECLS
