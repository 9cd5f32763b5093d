/* ttd-dbus-received.h — files other programs hand over as descriptors, copied into the cache
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ttd-core.h"

G_BEGIN_DECLS

#define TTD_RECEIVED_MAX_FILES 100

void       ttd_received_copy_async    (GArray              *fds,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GPtrArray *ttd_received_copy_finish   (GAsyncResult        *result,
                                       GError             **error);
gboolean   ttd_received_is_copy       (GFile               *file);
void       ttd_received_delete        (GPtrArray           *files);
void       ttd_received_sweep         (TtdQueue            *queue);

G_END_DECLS
