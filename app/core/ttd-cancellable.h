/* ttd-cancellable.h — one cancellable following another
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gulong ttd_cancellable_forward (GCancellable *from,
                                GCancellable *to);

G_END_DECLS
